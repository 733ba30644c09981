package io.mallgate.proxy;

import io.mallgate.config.BaseUrl;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.RequestIds;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ANY /malls/{mall}/api/**}: forwards the request to the mall's Cafe24 API with the mall's bearer token and
 * streams the answer back.
 *
 * <p>Why a lean proxy on Vert.x's {@link HttpClient} instead of vertx-http-proxy: that library forwards the caller's
 * {@code Authorization} and {@code Cookie}, keeps headers named in {@code Connection}, and cannot replay a body after
 * a 401, which the refresh protocol needs. What we need of it — a pooled client and a back-pressured pipe each way —
 * is a few lines of core API, and every header decision stays in one place ({@link HeaderPolicy}).
 *
 * <p>The way through: parse and check the target (no I/O), take over the body ({@link RequestBody}), get the token,
 * open the upstream request, send the body, relay the response. On a 401 to the token we injected, the token is
 * refreshed (or a newer one taken) and the request replayed once when its body was kept; a second 401 goes back
 * as is. Redirects are never followed. Any failure is a {@link GatewayFailure} handed to the router's failure
 * handler. Runs on the request's event loop.
 */
public final class ProxyHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  private final HttpClient upstream;
  private final TokenService tokens;
  private final HeaderPolicy headers;
  private final BaseUrl baseUrl;
  private final GatewayConfig.Malls malls;
  private final GatewayConfig.Proxy limits;
  private final RateLimiter rateLimiter;

  public ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, GatewayConfig config) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.rateLimiter = rateLimiter;
    this.headers = new HeaderPolicy(config.cafe24().apiVersion());
    this.baseUrl = config.cafe24().baseUrl();
    this.malls = config.malls();
    this.limits = config.proxy();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ProxyTarget target;
    try {
      target = ProxyTarget.parse(request.path());
      admit(target.mall(), request);
    } catch (GatewayFailure failure) {
      ctx.fail(failure);
      return;
    }
    AccessLog.mall(ctx, target.mall());
    // Synchronously, before any async step: an unpaused request with no handler would drop body bytes.
    RequestBody body = RequestBody.read(request, limits.maxBodySize(), limits.replayBufferSize());
    tokens.forRequest(target.mall())
        .compose(record -> {
          // Checked, token in hand: only now invite the body (never a 100 before a refusal).
          if (expectsContinue(request)) {
            request.response().writeContinue();
          }
          return body.ready().compose(ready -> exchange(ctx, target, record, body, true));
        })
        .onFailure(ctx::fail);
  }

  private void admit(String mall, HttpServerRequest request) {
    if (!malls.admits(mall)) {
      throw new GatewayFailure(ErrorCode.MALL_NOT_ALLOWED, "mall is not in this gateway's allow-list");
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > limits.maxBodySize()) {
      throw tooLarge();
    }
  }

  private Future<Void> exchange(RoutingContext ctx, ProxyTarget target, TokenRecord record, RequestBody body,
      boolean mayReplay) {
    return rateLimiter.acquire(target.mall())
        .compose(slot -> {
          AccessLog.upstreamStarted(ctx);
          return upstream.request(options(ctx, target, record));
        })
        .recover(failure -> Future.failedFuture(UpstreamFailures.toGatewayFailure(failure)))
        .compose(upstreamRequest -> send(ctx, upstreamRequest, body))
        .compose(response -> {
          rateLimiter.observe(target.mall(), response.statusCode(), response.headers());
          if (response.statusCode() != 401 || !mayReplay) {
            return relay(ctx, response);
          }
          if (body.replayable()) {
            return discard(response)
                .compose(drained -> tokens.afterUnauthorized(target.mall(), record))
                .compose(fresh -> exchange(ctx, target, fresh, body, false));
          }
          // Too big to replay: this 401 goes back, but the next request should find a fresh token.
          tokens.afterUnauthorized(target.mall(), record)
              .onFailure(failure -> LOG.debug("refresh after a 401 on mall {} failed", target.mall()));
          ctx.response().putHeader(HeaderPolicy.MALLGATE_ERROR, ErrorCode.UPSTREAM_UNAUTHORIZED.code());
          return relay(ctx, response);
        });
  }

  private RequestOptions options(RoutingContext ctx, ProxyTarget target, TokenRecord record) {
    HttpServerRequest request = ctx.request();
    String query = request.query();
    return new RequestOptions()
        .setMethod(request.method())
        .setHost(baseUrl.host(target.mall()))
        .setPort(baseUrl.port())
        .setSsl(baseUrl.ssl())
        .setURI(baseUrl.pathPrefix(target.mall()) + target.apiPath() + (query == null ? "" : "?" + query))
        .setFollowRedirects(false)
        .setConnectTimeout(limits.connectTimeout().toMillis())
        .setIdleTimeout(limits.idleTimeout().toMillis())
        .setHeaders(headers.upstreamRequest(request.headers(), record.tokens().accessToken(), RequestIds.of(ctx)));
  }

  /**
   * Sends the body and waits for the response head. {@code proxy.requestTimeout} counts from the moment the body
   * is sent, so a large or slow upload is bounded by the idle timeout, not by the response deadline; an early
   * answer (before the body is through) is taken as soon as it comes.
   */
  private Future<HttpClientResponse> send(RoutingContext ctx, HttpClientRequest upstreamRequest, RequestBody body) {
    upstreamRequest.exceptionHandler(failure ->
        LOG.debug("upstream exchange ended early ({})", failure.getClass().getSimpleName()));
    // A caller that goes away mid-exchange must not leave the upstream exchange running: close its connection.
    ctx.response().closeHandler(closed -> upstreamRequest.connection().close());
    Promise<HttpClientResponse> answered = Promise.promise();
    upstreamRequest.response().onComplete(answered);
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
      return Future.failedFuture(body.exceeded() ? tooLarge() : UpstreamFailures.toGatewayFailure(failure));
    });
  }

  private Future<Void> relay(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    AccessLog.upstreamAnswered(ctx);
    HttpServerResponse response = ctx.response();
    response.setStatusCode(upstreamResponse.statusCode());
    headers.copyDownstream(upstreamResponse.headers(), response.headers());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(ctx, upstreamResponse)) {
      response.setChunked(true);
    }
    // The response head is about to go out: from here a failure can only cut the connection (see FailureRenderer).
    // When the caller's side fails, the upstream connection closes too, or the pipe would drain it at full speed.
    return upstreamResponse.pipeTo(response)
        .onFailure(failure -> upstreamResponse.request().connection().close());
  }

  /** Reads and drops a response we will not relay, so its connection goes back to the pool. */
  private static Future<Void> discard(HttpClientResponse response) {
    response.handler(chunk -> { });
    return response.end();
  }

  private static boolean expectsContinue(HttpServerRequest request) {
    return request.version() == HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
  }

  private static boolean mayHaveBody(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    int status = upstreamResponse.statusCode();
    return ctx.request().method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private GatewayFailure tooLarge() {
    return new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
        "request body is larger than proxy.maxBodySize (" + limits.maxBodySize() + " bytes)");
  }
}
