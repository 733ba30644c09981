package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.BodyMemory;
import io.mallgate.resilience.ConcurrencyLimits;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.token.TokenService;
import io.mallgate.tracing.Span;
import io.mallgate.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code ANY /malls/{mall}/api/**}: forwards the request to the mall's Cafe24 API with the mall's bearer token and
 * streams the answer back. A Front API call ({@link ProxyTarget#front()}) goes the same way, rate shaping, breaker
 * and deadlines included, but with the app's client id instead of a token: it reads no token and never refreshes
 * one.
 *
 * <p>The way to Cafe24's response head is a {@link ProxyChain} of named {@link ProxyStep}s, linked once here and
 * shared by every request; per request there is only its {@link ProxyCall}. In order: admit (method, path, mall,
 * declared length — no I/O) → take over the body → coalesce (an identical GET in flight is waited on, not sent
 * again: {@link Coalescing}) → the token → {@code 100 Continue} → the body (or its replayable
 * head) → a concurrency place → the {@code proxy.totalTimeout} deadline → replay/retry → the circuit → a rate slot →
 * the breaker → send. Then the answer is relayed. Within the deadline, a 401 that names the token we injected is
 * refreshed and replayed once when the body was kept, and an idempotent call is retried when no byte reached Cafe24
 * or after a 429/503 with a known wait that fits ({@link Retries}); a POST is never sent twice. Redirects are never
 * followed. Any failure is a {@link GatewayFailure} handed to the router's failure handler. Runs on the request's
 * event loop.
 *
 * <p>Why a lean proxy on Vert.x's {@link HttpClient} instead of vertx-http-proxy (whose interceptor chain the steps
 * follow): that library forwards the caller's {@code Authorization} and {@code Cookie}, keeps headers named in
 * {@code Connection}, and cannot replay a body after a 401, which the refresh protocol needs. What we need of it — a
 * pooled client and a back-pressured pipe each way — is a few lines of core API, and every header decision stays in
 * one place ({@link HeaderPolicy}).
 *
 * <p>Traces: the request's server span (see {@link Tracing}) gets the route template; the token lookup and each try's
 * call to Cafe24 ({@code cafe24.call}: attempt, status, path without the query) are its children. No trace context is
 * sent to Cafe24. With tracing off, all of it is a no-op call on {@link Span#NONE}.
 */
public final class ProxyHandler implements Handler<RoutingContext> {

  /** The route, as a template: never the raw path, which holds the mall and the resource ids. */
  static final String ROUTE = "/malls/{mall}/api/**";

  private final ProxyChain chain;
  private final Tracing tracing;
  private final HeaderPolicy headers;
  private final long totalTimeoutNanos;

  public ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, MallBreakers breakers,
      ConcurrencyLimits concurrency, GatewayConfig config) {
    this(upstream, tokens, rateLimiter, breakers, concurrency, bodyMemory(config.proxy()), config);
  }

  private ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, MallBreakers breakers,
      ConcurrencyLimits concurrency, BodyMemory bodyMemory, GatewayConfig config) {
    this(upstream, tokens, rateLimiter, breakers, concurrency, bodyMemory, new Coalescing(config.proxy(), bodyMemory),
        config, config::malls, Tracing.OFF);
  }

  /**
   * @param bodyMemory the instance's bound on body bytes held (request bodies, answers kept for waiters), shared by
   *                   every event loop
   * @param coalescing the instance's calls that identical GETs may share, shared by every event loop
   * @param malls the allow-list, read per request (a reload may replace it)
   * @param tracing where each request's server span is found
   */
  public ProxyHandler(HttpClient upstream, TokenService tokens, RateLimiter rateLimiter, MallBreakers breakers,
      ConcurrencyLimits concurrency, BodyMemory bodyMemory, Coalescing coalescing, GatewayConfig config,
      Supplier<GatewayConfig.Malls> malls, Tracing tracing) {
    this.tracing = tracing;
    Admission admission = new Admission(malls, config.proxy(), concurrency);
    BodySteps bodies = new BodySteps(config.proxy(), bodyMemory);
    TokenSteps tokenSteps = new TokenSteps(tokens);
    Retries retries = new Retries(config.retry(), tokenSteps);
    UpstreamGuards guards = new UpstreamGuards(rateLimiter, breakers);
    UpstreamExchange exchange = new UpstreamExchange(upstream, config);
    this.chain = ProxyChain.of(List.of(
        admission::admit,         // 405, invalid path, mall not allowed, declared body too large: before any I/O
        bodies::take,             // the body's handlers, before any asynchronous step can drop a byte
        coalescing::join,         // an identical GET in flight: wait for its answer, with no token, place or slot
        tokenSteps::token,        // the mall's token; none on the Front API
        BodySteps::invite,        // 100 Continue, only now that the call is checked and has its token
        BodySteps::ready,         // the body, or its replayable head: a sender that trickles holds no place
        admission::place,         // a concurrency place, until the exchange ends
        Deadline::bound,          // all that follows within proxy.totalTimeout
        retries::retry,           // each try runs the steps below again
        guards::refuseWhenOpen,   // circuit open: refused before waiting for a slot
        guards::pace,             // a rate slot; Cafe24's limits fed back
        guards::breaker,          // the outcome counted by the mall's breaker
        exchange::send));         // connect, inject the bearer, send the body, wait for the head
    this.headers = exchange.headers();
    this.totalTimeoutNanos = config.proxy().totalTimeout().toNanos();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Span span = tracing.serverSpan(ctx).set(Span.HTTP_ROUTE, ROUTE);
    ProxyCall call = new ProxyCall(ctx, System.nanoTime() + totalTimeoutNanos, span);
    chain.proceed(call)
        .compose(response -> relay(call, response))
        .onFailure(ctx::fail);
  }

  /**
   * What {@code proxy.maxConcurrent} calls may hold of replay copies — the bound on body bytes in memory — but never
   * more than a quarter of the heap: the defaults allow 1 GiB, and a launcher's 128 MiB heap would end in an
   * OutOfMemoryError (and the process) where a 503 {@code overloaded} was due.
   */
  public static BodyMemory bodyMemory(GatewayConfig.Proxy limits) {
    return new BodyMemory(bodyMemoryBound(limits, Runtime.getRuntime().maxMemory()));
  }

  static long bodyMemoryBound(GatewayConfig.Proxy limits, long maxHeapBytes) {
    return Math.min((long) limits.maxConcurrent() * limits.replayBufferSize(), maxHeapBytes / 4);
  }

  private Future<Void> relay(ProxyCall call, HttpClientResponse upstreamResponse) {
    SharedAnswer served = call.served();
    if (served != null) {
      return served.writeTo(call.ctx().response()); // an identical GET's answer; this call had no exchange
    }
    assert call.loop().onThread() : "a proxied request left its event loop";
    RoutingContext ctx = call.ctx();
    call.facts().upstreamAnswered();
    HttpServerResponse response = ctx.response();
    response.setStatusCode(upstreamResponse.statusCode());
    headers.copyDownstream(upstreamResponse.headers(), response.headers());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(ctx, upstreamResponse)) {
      response.setChunked(true);
    }
    SharedCall shared = call.leads();
    if (shared == null) {
      return relayBody(call, upstreamResponse, response);
    }
    // A broken body fails the waiters as Cafe24's fault; the leader's caller leaving only releases them.
    return relayBody(call, upstreamResponse, shared.share(upstreamResponse, response, headers))
        .onFailure(failure -> shared.failed(UpstreamFailures.toGatewayFailure(failure), call.abandoned()));
  }

  /**
   * The body, to the caller's response or to a stream that also keeps it for waiters ({@link SharedCall#share}).
   * The response head is about to go out: from here a failure can only cut the connection (see FailureRenderer).
   * Never ended on a failure (pipeTo would): an ended body would pass a truncated answer off as whole, and ending a
   * response whose caller left makes the pipe's next write throw. When the caller's side fails, the upstream
   * connection closes too, or the pipe would drain it at full speed.
   */
  private static Future<Void> relayBody(ProxyCall call, HttpClientResponse upstreamResponse, WriteStream<Buffer> out) {
    UnauthorizedBody read = call.kept();
    if (read != null) {
      return read.relay(upstreamResponse, out); // a 401 whose body was read to decide on a refresh
    }
    return upstreamResponse.pipe().endOnFailure(false).to(out)
        .onFailure(failure -> upstreamResponse.request().connection().close());
  }

  private static boolean mayHaveBody(RoutingContext ctx, HttpClientResponse upstreamResponse) {
    int status = upstreamResponse.statusCode();
    return ctx.request().method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
