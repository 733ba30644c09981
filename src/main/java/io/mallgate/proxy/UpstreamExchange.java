package io.mallgate.proxy;

import io.mallgate.concurrent.LoopTimeouts;
import io.mallgate.config.BaseUrl;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.RequestFacts;
import io.mallgate.tracing.Span;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
 * The send step, the chain's last: one try's call to Cafe24, up to its response head, on the shared pooled client,
 * with the bearer injected (the app's client id instead on the Front API) and the body sent. Stateless; runs on the
 * request's event loop.
 */
final class UpstreamExchange {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);
  private static final int TOO_MANY_REQUESTS = 429;
  private static final String HEAD_TIMEOUTS = "mallgate.proxy.headTimeouts";
  private static final String IDLE_TIMEOUTS = "mallgate.proxy.idleTimeouts";

  private final HttpClient upstream;
  private final HeaderPolicy headers;
  private final BaseUrl baseUrl;
  private final GatewayConfig.Proxy limits;
  private final long requestTimeoutNanos;
  private final long idleTimeoutNanos;

  UpstreamExchange(HttpClient upstream, GatewayConfig config) {
    this.upstream = upstream;
    GatewayConfig.Cafe24 cafe24 = config.cafe24();
    // Once per config, not per request: the client id and the front key's Basic value are made here.
    this.headers = new HeaderPolicy(cafe24.apiVersion(), cafe24.clientId().reveal(), cafe24.frontApiKey().reveal());
    this.baseUrl = cafe24.baseUrl();
    this.limits = config.proxy();
    this.requestTimeoutNanos = limits.requestTimeout().toNanos();
    this.idleTimeoutNanos = limits.idleTimeout().toNanos();
  }

  HeaderPolicy headers() {
    return headers;
  }

  /**
   * The step: gets a connection and a request on it, then sends. Unless the caller has had its answer meanwhile (the
   * total deadline, or gone): a request that waited for a rate slot or a pooled connection past that point is never
   * sent, and its connection goes back at once. The call notes how far the try got ({@link ProxyCall#markConnecting},
   * {@link ProxyCall#markReachedUpstream}): a try that never had a connection certainly sent nothing to Cafe24. A try
   * that went out, and a 429 Cafe24 answered to it, are counted for the caller's app
   * ({@link RequestFacts#cafe24Call}).
   * Nothing comes after this step; {@code next} is not run.
   */
  Future<HttpClientResponse> send(ProxyCall call, ProxyChain next) {
    if (call.abandoned()) {
      return Future.failedFuture(new ProxyCall.Abandoned());
    }
    assert call.loop().onThread() : "a proxied request left its event loop";
    RoutingContext ctx = call.ctx();
    call.markConnecting();
    call.facts().upstreamStarted();
    Span attempt = call.span().child("cafe24.call", Span.Kind.CLIENT);
    Future<HttpClientResponse> answered = upstream.request(options(ctx, call.target())).transform(connected -> {
      if (connected.failed()) {
        return Future.failedFuture(UpstreamFailures.toGatewayFailure(connected.cause()));
      }
      HttpClientRequest upstreamRequest = connected.result();
      if (call.abandoned()) {
        upstreamRequest.reset();
        return Future.failedFuture(new ProxyCall.Abandoned());
      }
      call.markReachedUpstream();
      // Each try that goes out may spend one call of the mall's Cafe24 budget: counted for its app.
      call.facts().cafe24Call();
      injectHeaders(call, upstreamRequest);
      return exchange(call, upstreamRequest);
    });
    return attempt.recording() ? traced(call, attempt, answered) : answered;
  }

  /**
   * The try's client span, from the connection's request to Cafe24's response head (the body's streaming is the
   * server span's): the attempt, the path without its query (Cafe24's queries hold filters, but nothing of a query is
   * ever recorded), Cafe24's status. A status of 400 or more marks it failed, as for any HTTP client span.
   */
  private Future<HttpClientResponse> traced(ProxyCall call, Span attempt, Future<HttpClientResponse> answered) {
    ProxyTarget target = call.target();
    attempt.set(Span.HTTP_METHOD, call.request().method().name())
        .set(Span.SERVER_ADDRESS, baseUrl.host(target.mall()))
        .set(Span.URL_PATH, baseUrl.pathPrefix(target.mall()) + target.apiPath())
        .set(Span.MALL, target.mall())
        .set(Span.ATTEMPT, call.tries());
    return answered.andThen(outcome -> {
      if (outcome.succeeded()) {
        int status = outcome.result().statusCode();
        attempt.set(Span.HTTP_STATUS, status);
        if (status >= 400) {
          attempt.failed(Integer.toString(status));
        }
      } else {
        attempt.failed(outcome.cause());
      }
      attempt.end();
    });
  }

  /** Straight into the request's own header map: headers given through RequestOptions would be copied into it. */
  private void injectHeaders(ProxyCall call, HttpClientRequest upstreamRequest) {
    RoutingContext ctx = call.ctx();
    if (call.target().front()) {
      headers.copyFrontUpstream(ctx.request().headers(), upstreamRequest.headers(), call.requestId());
    } else {
      headers.copyUpstream(ctx.request().headers(), upstreamRequest.headers(), call.record().tokens().accessToken(),
          call.requestId());
    }
  }

  /**
   * No per-request connect timeout: Vert.x would also apply it to the wait for a pooled connection, and a busy pool
   * would then read as Cafe24 failing to connect (upstream_timeout, counted by the breaker). The TCP connect is
   * bounded by the client's own connectTimeout (Transports); the wait for the pool by proxy.poolWaitQueue and the
   * request's total deadline. proxy.idleTimeout is armed by {@link #exchange}.
   */
  private RequestOptions options(RoutingContext ctx, ProxyTarget target) {
    HttpServerRequest request = ctx.request();
    String query = request.query();
    return new RequestOptions()
        .setMethod(request.method())
        .setHost(baseUrl.host(target.mall()))
        .setPort(baseUrl.port())
        .setSsl(baseUrl.ssl())
        .setURI(baseUrl.pathPrefix(target.mall()) + target.apiPath() + (query == null ? "" : "?" + query))
        .setFollowRedirects(false);
  }

  /**
   * Sends the body and waits for the response head. {@code proxy.requestTimeout} counts from the moment the body
   * is sent, so a large or slow upload is bounded by the idle timeout, not by the response deadline — but the whole
   * exchange, upload included, stays within {@code proxy.totalTimeout} ({@link Deadline}). An early answer (before the
   * body is through) is taken as soon as it comes.
   */
  private Future<HttpClientResponse> exchange(ProxyCall call, HttpClientRequest upstreamRequest) {
    upstreamRequest.exceptionHandler(failure ->
        LOG.debug("upstream exchange ended early ({})", failure.getClass().getSimpleName()));
    // A caller that goes away mid-exchange must not leave the upstream exchange running: close its connection.
    call.ctx().response().closeHandler(closed -> upstreamRequest.connection().close());
    HeadWait head = new HeadWait(call, upstreamRequest);
    // proxy.idleTimeout, as Vert.x's own request idle timeout counted it (from the request's start to the response
    // head: it stops at the head), on the loop's list instead of a timer per request.
    head.silence = call.loop().timeouts(IDLE_TIMEOUTS).arm(System.nanoTime() + idleTimeoutNanos,
        () -> head.fail(new TimeoutException("no response head within proxy.idleTimeout")));
    upstreamRequest.response().onComplete(head);
    call.body().sendTo(upstreamRequest).onComplete(sent -> {
      if (sent.failed()) {
        upstreamRequest.reset(0, sent.cause());
      } else if (!head.settled) { // else an early answer, or already failed
        // All of proxy.requestTimeout from now: one list per loop, armed in the order they fall due.
        head.deadline = call.loop().timeouts(HEAD_TIMEOUTS).arm(System.nanoTime() + requestTimeoutNanos,
            () -> head.fail(new TimeoutException("no response head within proxy.requestTimeout")));
      }
    });
    return head.answered.future();
  }

  /**
   * One try's wait for Cafe24's response head: settled once, by the head, a failure or one of its two timeouts,
   * whichever comes first; settling cancels the timeouts. One object and one listener per try, where a listener per
   * timeout and a recovering Future would each be another allocation on every call.
   */
  private final class HeadWait implements Handler<AsyncResult<HttpClientResponse>> {
    private final ProxyCall call;
    private final HttpClientRequest upstreamRequest;
    private final Promise<HttpClientResponse> answered = Promise.promise();
    private LoopTimeouts.Timeout silence;
    private LoopTimeouts.Timeout deadline;
    private boolean settled;

    HeadWait(ProxyCall call, HttpClientRequest upstreamRequest) {
      this.call = call;
      this.upstreamRequest = upstreamRequest;
    }

    /**
     * The head, or the exchange's failure. Paused at once: the breaker and the retry logic hand the response on
     * across callbacks, and a small body would otherwise have ended before anyone reads it; the relay's pipe (or a
     * discard) resumes it. A head that comes after the wait was settled (a timeout) is dropped with its connection.
     */
    @Override
    public void handle(AsyncResult<HttpClientResponse> head) {
      if (head.failed()) {
        fail(head.cause());
        return;
      }
      HttpClientResponse response = head.result().pause();
      if (!settle()) {
        upstreamRequest.connection().close();
        return;
      }
      if (response.statusCode() == TOO_MANY_REQUESTS) {
        call.facts().cafe24Throttle();
      }
      answered.complete(response);
    }

    /** Fails the wait, unless settled, as {@link #blame} says; the upstream request is reset. */
    void fail(Throwable failure) {
      if (settle()) {
        upstreamRequest.reset(); // settled first: a reset that fails the head again finds the wait settled
        answered.fail(blame(call, failure));
      }
    }

    private boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      silence.cancel();
      if (deadline != null) {
        deadline.cancel();
      }
      return true;
    }
  }

  /** Whose fault a failed exchange was: the caller's (gone, or its body too big, broken or silent), or Cafe24's. */
  private Throwable blame(ProxyCall call, Throwable failure) {
    if (call.abandoned()) {
      // We closed the upstream connection because the caller went away: that failure is the caller's, not Cafe24's.
      return new ProxyCall.Abandoned();
    }
    RequestBody body = call.body();
    return body.exceeded() ? RequestBody.tooLarge(limits.maxBodySize())
        : body.unreadableWhileSending() ? RequestBody.unreadable()
        : body.silentWhileSending() ? RequestBody.bodyTimeout(limits.bodyTimeout().toMillis())
        : UpstreamFailures.toGatewayFailure(failure);
  }
}
