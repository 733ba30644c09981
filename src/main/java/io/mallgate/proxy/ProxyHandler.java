package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLog;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.BodyMemory;
import io.mallgate.resilience.ConcurrencyLimits;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ANY /malls/{mall}/api/**}: forwards the request to the mall's Cafe24 API with the mall's bearer token and
 * streams the answer back. A Front API call ({@link ProxyTarget#front()}) goes the same way, rate shaping, breaker
 * and deadlines included, but with the app's client id instead of a token: it reads no token and never refreshes
 * one.
 *
 * <p>Why a lean proxy on Vert.x's {@link HttpClient} instead of vertx-http-proxy: that library forwards the caller's
 * {@code Authorization} and {@code Cookie}, keeps headers named in {@code Connection}, and cannot replay a body after
 * a 401, which the refresh protocol needs. What we need of it — a pooled client and a back-pressured pipe each way —
 * is a few lines of core API, and every header decision stays in one place ({@link HeaderPolicy}).
 *
 * <p>The way through: check the target (no I/O), take a concurrency place, take over the body
 * ({@link RequestBody}), get the token, call Cafe24 ({@link UpstreamExchange}), relay the answer. Within
 * {@code proxy.totalTimeout}: a 401 that names the token we injected is refreshed and replayed once when the body
 * was kept (a second 401, or any other 401, goes back as is); an idempotent call is retried when no byte reached
 * Cafe24, or after a 429/503 with a known wait that fits; a POST is never sent twice. Redirects are never followed. Any failure is a
 * {@link GatewayFailure} handed to the router's failure handler. Runs on the request's event loop.
 */
public final class ProxyHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  private static final List<String> WAIT_HEADERS = List.of("Retry-After", "X-Cafe24-Call-Remain",
      "X-Cafe24-Time-Remain");
  private static final Pattern SECONDS = Pattern.compile("\\d{1,6}");

  private final TokenService tokens;
  private final UpstreamExchange exchange;
  private final ConcurrencyLimits concurrency;
  private final BodyMemory bodyMemory;
  /** Read per request: a reload may change the allow-list. */
  private final Supplier<GatewayConfig.Malls> malls;
  private final GatewayConfig.Proxy limits;
  private final GatewayConfig.Retry retry;
  /** The {@code Allow} header of a 405: {@code proxy.methods}, in a stable order. */
  private final String allow;

  public ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, MallBreakers breakers,
      ConcurrencyLimits concurrency, GatewayConfig config) {
    this(upstream, tokens, rateLimiter, breakers, concurrency, bodyMemory(config.proxy()), config, config::malls);
  }

  /**
   * @param bodyMemory the instance's bound on request-body bytes held, shared by every event loop
   * @param malls the allow-list, read per request (a reload may replace it)
   */
  public ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, MallBreakers breakers,
      ConcurrencyLimits concurrency, BodyMemory bodyMemory, GatewayConfig config,
      Supplier<GatewayConfig.Malls> malls) {
    this.tokens = tokens;
    this.bodyMemory = bodyMemory;
    this.exchange = new UpstreamExchange(upstream, config, rateLimiter, breakers);
    this.concurrency = concurrency;
    this.malls = malls;
    this.limits = config.proxy();
    this.retry = config.retry();
    this.allow = String.join(", ", new java.util.TreeSet<>(limits.methods()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ProxyTarget target;
    try {
      allowMethod(request);
      target = ProxyTarget.parse(request.path());
      admit(target.mall(), request);
    } catch (GatewayFailure failure) {
      ctx.fail(failure);
      return;
    }
    RequestLoop loop = RequestLoop.enter(ctx);
    AccessLog.mall(ctx, target.mall());
    // Synchronously, before any async step: an unpaused request with no handler would drop body bytes.
    RequestBody body = RequestBody.read(ctx.vertx(), request, limits, bodyMemory);
    ctx.addEndHandler(ended -> body.release());
    long deadline = System.nanoTime() + limits.totalTimeout().toNanos();
    // The Front API authenticates the app, not the mall's install: it needs no stored token, and a 401 there is
    // never cured by refreshing one (mayReplay false).
    Future<TokenRecord> token = target.front() ? Future.succeededFuture()
        : loop.back(tokens.forRequest(target.mall()));
    token
        .compose(record -> {
          // Checked, token in hand: only now invite the body (never a 100 before a refusal).
          if (expectsContinue(request)) {
            request.response().writeContinue();
          }
          // The body (or its replayable head) first, then a place: a sender that trickles holds none.
          return body.ready().compose(ready -> takePlace(ctx, target.mall())).compose(placed -> withinDeadline(ctx,
              deadline, attempt(ctx, target, record, body, 0, !target.front(), deadline)));
        })
        .compose(response -> relay(ctx, response))
        .onFailure(ctx::fail);
  }

  /** What {@code proxy.maxConcurrent} calls may hold of replay copies: the bound on request-body bytes in memory. */
  public static BodyMemory bodyMemory(GatewayConfig.Proxy limits) {
    return new BodyMemory((long) limits.maxConcurrent() * limits.replayBufferSize());
  }

  /** A concurrency place for the call, given back when the exchange ends; refused when the mall or gateway is full. */
  private Future<Void> takePlace(RoutingContext ctx, String mall) {
    try {
      concurrency.enter(mall);
    } catch (GatewayFailure full) {
      return Future.failedFuture(full);
    }
    ctx.addEndHandler(ended -> concurrency.exit(mall));
    return Future.succeededFuture();
  }

  /** Before anything else: a method we never forward (TRACE would echo the mall's token) reads no token. */
  private void allowMethod(HttpServerRequest request) {
    if (!limits.methods().contains(request.method().name())) {
      throw new GatewayFailure(ErrorCode.METHOD_NOT_ALLOWED,
          request.method().name() + " is not forwarded to Cafe24 (proxy.methods)", Map.of("Allow", allow));
    }
  }

  private void admit(String mall, HttpServerRequest request) {
    if (!malls.get().admits(mall)) {
      throw new GatewayFailure(ErrorCode.MALL_NOT_ALLOWED, "mall is not in this gateway's allow-list");
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && Long.parseLong(length) > limits.maxBodySize()) {
      throw UpstreamExchange.tooLarge(limits);
    }
  }

  private Future<HttpClientResponse> attempt(RoutingContext ctx, ProxyTarget target, TokenRecord record,
      RequestBody body, int retries, boolean mayReplay, long deadline) {
    UpstreamExchange.Attempt attempt = new UpstreamExchange.Attempt();
    return exchange.call(ctx, target, record, body, attempt).transform(outcome -> {
      if (outcome.failed()) {
        // The gateway's own refusals (circuit open, rate limited) are answers, not faults: never retried.
        return canRetry(ctx, body, retries, attempt.failedBeforeSending(outcome.cause()) ? backoff(retries) : -1, deadline)
            ? later(ctx, backoff(retries), () -> attempt(ctx, target, record, body, retries + 1, mayReplay, deadline))
            : Future.failedFuture(outcome.cause());
      }
      HttpClientResponse response = outcome.result();
      if (response.statusCode() == 401 && mayReplay) {
        return afterUnauthorized(ctx, target, record, body, response, retries, deadline);
      }
      int status = response.statusCode();
      long wait = status == 429 || status == 503 ? knownWait(response) : -1;
      if (wait >= 0 && canRetry(ctx, body, retries, wait, deadline)) {
        return discard(response).compose(drained -> later(ctx, wait,
            () -> attempt(ctx, target, record, body, retries + 1, mayReplay, deadline)));
      }
      return Future.succeededFuture(response);
    });
  }

  /**
   * Only a 401 that names the access token is worth a refresh ({@link UnauthorizedBody}); any other goes back as
   * Cafe24 sent it. And no 401 starts more than one refresh per mall per {@code tokens.minRefreshInterval}: when the
   * token service has no newer token to offer, this 401 goes back too.
   */
  private Future<HttpClientResponse> afterUnauthorized(RoutingContext ctx, ProxyTarget target, TokenRecord record,
      RequestBody body, HttpClientResponse response, int retries, long deadline) {
    return UnauthorizedBody.read(response).compose(read -> {
      if (!read.namesAccessToken(response)) {
        return read.keep(ctx, response);
      }
      if (!body.replayable()) {
        // Too big to replay: this 401 goes back, but the next request should find a fresh token.
        tokens.afterUnauthorized(target.mall(), record)
            .onFailure(failure -> LOG.debug("refresh after a 401 on mall {} failed", target.mall()));
        ctx.response().putHeader(HeaderPolicy.MALLGATE_ERROR, ErrorCode.UPSTREAM_UNAUTHORIZED.code());
        return read.keep(ctx, response);
      }
      // Cafe24 refused the token before doing anything: sending the request again is safe, even a POST.
      return RequestLoop.of(ctx).back(tokens.afterUnauthorized(target.mall(), record))
          .recover(failure -> read.discard(response).transform(drained -> Future.failedFuture(failure)))
          .compose(fresh -> fresh == null ? read.keep(ctx, response)
              : read.discard(response).compose(drained -> attempt(ctx, target, fresh, body, retries, false, deadline)));
    });
  }

  /** A retry needs an idempotent method, a replayable body, retries left, and a wait that fits the deadline. */
  private boolean canRetry(RoutingContext ctx, RequestBody body, int retries, long waitMillis, long deadline) {
    return waitMillis >= 0 && retries < retry.maxRetries() && body.replayable()
        && retry.methods().contains(ctx.request().method().name())
        && System.nanoTime() + waitMillis * 1_000_000 < deadline;
  }

  /** Jittered exponential backoff: half to all of {@code backoff × 2^retries}. */
  private long backoff(int retries) {
    long full = retry.backoff().toMillis() << retries;
    return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
  }

  /** The wait Cafe24 announced, in ms ({@code Retry-After} or the {@code *-Remain} seconds), or -1 when none. */
  private static long knownWait(HttpClientResponse response) {
    for (String header : WAIT_HEADERS) {
      String value = response.getHeader(header);
      if (value != null && SECONDS.matcher(value.strip()).matches()) {
        return Long.parseLong(value.strip()) * 1000;
      }
    }
    return -1;
  }

  private static Future<HttpClientResponse> later(RoutingContext ctx, long millis,
      java.util.function.Supplier<Future<HttpClientResponse>> next) {
    return ctx.vertx().timer(Math.max(1, millis)).compose(fired -> next.get());
  }

  /** The whole way to a response head, bounded by {@code proxy.totalTimeout}; a head that comes later is dropped. */
  private Future<HttpClientResponse> withinDeadline(RoutingContext ctx, long deadline,
      Future<HttpClientResponse> head) {
    Promise<HttpClientResponse> bounded = Promise.promise();
    long timer = ctx.vertx().setTimer(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
        t -> bounded.tryFail(new GatewayFailure(ErrorCode.UPSTREAM_TIMEOUT,
            "no answer from Cafe24 within proxy.totalTimeout")));
    head.onComplete(outcome -> {
      ctx.vertx().cancelTimer(timer);
      boolean taken = outcome.succeeded() ? bounded.tryComplete(outcome.result()) : bounded.tryFail(outcome.cause());
      if (!taken && outcome.succeeded()) {
        outcome.result().request().connection().close();
      }
    });
    return bounded.future();
  }

  private Future<Void> relay(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    assert RequestLoop.of(ctx).onThread() : "a proxied request left its event loop";
    AccessLog.upstreamAnswered(ctx);
    HttpServerResponse response = ctx.response();
    response.setStatusCode(upstreamResponse.statusCode());
    exchange.headers().copyDownstream(upstreamResponse.headers(), response.headers());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(ctx, upstreamResponse)) {
      response.setChunked(true);
    }
    // The response head is about to go out: from here a failure can only cut the connection (see FailureRenderer).
    // Never ended on a failure (pipeTo would): an ended body would pass a truncated answer off as whole, and ending
    // a response whose caller left makes the pipe's next write throw. When the caller's side fails, the upstream
    // connection closes too, or the pipe would drain it at full speed.
    UnauthorizedBody read = UnauthorizedBody.keptFor(ctx);
    if (read != null) {
      return read.relay(upstreamResponse, response); // a 401 whose body was read to decide on a refresh
    }
    return upstreamResponse.pipe().endOnFailure(false).to(response)
        .onFailure(failure -> upstreamResponse.request().connection().close());
  }

  /** Reads and drops a response we will not relay, so its connection goes back to the pool. */
  private static Future<Void> discard(HttpClientResponse response) {
    response.handler(chunk -> { });
    response.resume();
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
}
