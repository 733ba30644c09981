package io.mallgate.proxy;

import io.mallgate.config.BaseUrl;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.RequestIds;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.resilience.SaysNothing;
import io.mallgate.token.TokenRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to Cafe24, up to its response head: through the mall's circuit breaker, after a slot from the rate
 * limiter, on the shared pooled client, with the bearer injected (the app's client id instead on the Front API) and
 * the body sent. What Cafe24 says about its
 * limits is fed back to the limiter. Stateless; runs on the request's event loop.
 */
final class UpstreamExchange {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);

  private final HttpClient upstream;
  private final HeaderPolicy headers;
  private final BaseUrl baseUrl;
  private final GatewayConfig.Proxy limits;
  private final RateLimiter rateLimiter;
  private final MallBreakers breakers;

  UpstreamExchange(HttpClient upstream, GatewayConfig config, RateLimiter rateLimiter, MallBreakers breakers) {
    this.upstream = upstream;
    GatewayConfig.Cafe24 cafe24 = config.cafe24();
    // Once per config, not per request: the client id and the front key's Basic value are made here.
    this.headers = new HeaderPolicy(cafe24.apiVersion(), cafe24.clientId().reveal(), cafe24.frontApiKey().reveal());
    this.baseUrl = config.cafe24().baseUrl();
    this.limits = config.proxy();
    this.rateLimiter = rateLimiter;
    this.breakers = breakers;
  }

  HeaderPolicy headers() {
    return headers;
  }

  /**
   * Makes one call. {@code attempt} tells afterwards how far it got: a refusal by the breaker or the rate limiter
   * never sought a connection, and a call that never got one certainly sent nothing to Cafe24.
   *
   * @param record the mall's token record for an Admin API call; {@code null} for a Front API call
   *               ({@link ProxyTarget#front()}), which carries no mall token
   */
  Future<HttpClientResponse> call(RoutingContext ctx, ProxyTarget target, TokenRecord record, RequestBody body,
      Attempt attempt) {
    String mall = target.mall();
    return breakers.admit(mall)
        .compose(closed -> acquire(ctx, mall))
        // A caller that had its answer while it waited for a slot never reaches the breaker, which would read any
        // outcome as news of Cafe24.
        .compose(slot -> abandoned(ctx) ? Future.<HttpClientResponse>failedFuture(new Abandoned())
            : breakers.call(mall, () -> connect(ctx, target, record, attempt)
                .compose(upstreamRequest -> send(ctx, upstreamRequest, body))))
        .onSuccess(response -> rateLimiter.observe(mall, response.statusCode(), response.headers()));
  }

  private Future<Void> acquire(RoutingContext ctx, String mall) {
    long start = System.nanoTime();
    // The limiter's Future completes on the caller's context (MallQueues hands it back): no hop needed here.
    return rateLimiter.acquire(mall).andThen(slot -> AccessLog.rateWaited(ctx, System.nanoTime() - start));
  }

  /**
   * Gets a connection and a request on it, unless the caller has had its answer meanwhile (the total deadline, or
   * gone): a request that waited for a rate slot or a pooled connection past that point is never sent, and its
   * connection goes back at once.
   */
  private Future<HttpClientRequest> connect(RoutingContext ctx, ProxyTarget target, TokenRecord record,
      Attempt attempt) {
    if (abandoned(ctx)) {
      return Future.failedFuture(new Abandoned());
    }
    assert RequestLoop.of(ctx).onThread() : "a proxied request left its event loop";
    attempt.connecting = true;
    AccessLog.upstreamStarted(ctx);
    return upstream.request(options(ctx, target))
        .recover(failure -> Future.failedFuture(UpstreamFailures.toGatewayFailure(failure)))
        .compose(upstreamRequest -> {
          if (abandoned(ctx)) {
            upstreamRequest.reset();
            return Future.failedFuture(new Abandoned());
          }
          attempt.reachedUpstream = true;
          // Straight into the request's own header map: headers given through RequestOptions would be copied into it.
          if (target.front()) {
            headers.copyFrontUpstream(ctx.request().headers(), upstreamRequest.headers(), RequestIds.of(ctx));
          } else {
            headers.copyUpstream(ctx.request().headers(), upstreamRequest.headers(), record.tokens().accessToken(),
                RequestIds.of(ctx));
          }
          return Future.succeededFuture(upstreamRequest);
        });
  }

  private static boolean abandoned(RoutingContext ctx) {
    return ctx.response().ended() || ctx.response().closed();
  }

  private RequestOptions options(RoutingContext ctx, ProxyTarget target) {
    HttpServerRequest request = ctx.request();
    String query = request.query();
    return new RequestOptions()
        .setMethod(request.method())
        .setHost(baseUrl.host(target.mall()))
        .setPort(baseUrl.port())
        .setSsl(baseUrl.ssl())
        .setURI(baseUrl.pathPrefix(target.mall()) + target.apiPath() + (query == null ? "" : "?" + query))
        .setFollowRedirects(false)
        // No per-request connect timeout: Vert.x would also apply it to the wait for a pooled connection, and a
        // busy pool would then read as Cafe24 failing to connect (upstream_timeout, counted by the breaker). The
        // TCP connect is bounded by the client's own connectTimeout (Transports); the wait for the pool by
        // proxy.poolWaitQueue and the request's total deadline.
        .setIdleTimeout(limits.idleTimeout().toMillis());
  }

  /**
   * Sends the body and waits for the response head. {@code proxy.requestTimeout} counts from the moment the body
   * is sent, so a large or slow upload is bounded by the idle timeout, not by the response deadline — but the whole
   * exchange, upload included, stays within {@code proxy.totalTimeout} (ProxyHandler). An early answer (before the
   * body is through) is taken as soon as it comes.
   */
  private Future<HttpClientResponse> send(RoutingContext ctx, HttpClientRequest upstreamRequest, RequestBody body) {
    upstreamRequest.exceptionHandler(failure ->
        LOG.debug("upstream exchange ended early ({})", failure.getClass().getSimpleName()));
    // A caller that goes away mid-exchange must not leave the upstream exchange running: close its connection.
    ctx.response().closeHandler(closed -> upstreamRequest.connection().close());
    Promise<HttpClientResponse> answered = Promise.promise();
    // Paused at once: the breaker and the retry logic hand the response on across callbacks, and a small body would
    // otherwise have ended before anyone reads it. The relay's pipe (or a discard) resumes it.
    // try*: the deadline below may have failed it first; a head that comes after that is dropped with its connection.
    upstreamRequest.response().onComplete(head -> {
      if (head.failed()) {
        answered.tryFail(head.cause());
      } else if (!answered.tryComplete(head.result().pause())) {
        upstreamRequest.connection().close();
      }
    });
    body.sendTo(upstreamRequest).onComplete(sent -> {
      if (sent.failed()) {
        upstreamRequest.reset(0, sent.cause());
        return;
      }
      long timer = ctx.vertx().setTimer(limits.requestTimeout().toMillis(),
          t -> answered.tryFail(new TimeoutException("no response head within proxy.requestTimeout")));
      answered.future().onComplete(done -> ctx.vertx().cancelTimer(timer));
    });
    return answered.future().recover(failure -> {
      upstreamRequest.reset();
      if (abandoned(ctx)) {
        // We closed the upstream connection because the caller went away: that failure is the caller's, not Cafe24's.
        return Future.failedFuture(new Abandoned());
      }
      return Future.failedFuture(body.exceeded() ? tooLarge(limits)
          : body.unreadableWhileSending() ? RequestBody.unreadable()
          : body.silentWhileSending() ? RequestBody.bodyTimeout(limits.bodyTimeout().toMillis())
          : UpstreamFailures.toGatewayFailure(failure));
    });
  }

  static GatewayFailure tooLarge(GatewayConfig.Proxy limits) {
    return new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
        "request body is larger than proxy.maxBodySize (" + limits.maxBodySize() + " bytes)");
  }

  /** How far one try got: only a try that sought a connection and sent nothing may be sent again. */
  static final class Attempt {
    /** Past the breaker and the rate limiter: a failure from here on is the connection's, not the gateway's. */
    boolean connecting;
    /** A connection was had: any byte of the request may have reached Cafe24. */
    boolean reachedUpstream;

    /**
     * Whether the try failed on the way to Cafe24 with nothing sent: no connection could be had. Not a refusal by
     * the gateway itself, and not a full pool (sending again would only add to the queue).
     */
    boolean failedBeforeSending(Throwable failure) {
      return connecting && !reachedUpstream && failure instanceof GatewayFailure gatewayFailure
          && gatewayFailure.code() != ErrorCode.OVERLOADED;
    }
  }

  /**
   * The caller had its answer, or hung up, before Cafe24 answered: not a fault of Cafe24's (see {@link SaysNothing})
   * and not a gateway refusal to render (nobody is listening). Carries no message and no stack.
   */
  static final class Abandoned extends RuntimeException implements SaysNothing {
    Abandoned() {
      super(null, null, false, false);
    }
  }
}
