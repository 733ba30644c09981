package io.mallgate.proxy;

import io.mallgate.edge.RequestFacts;
import io.mallgate.edge.RequestIds;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.SaysNothing;
import io.mallgate.token.TokenRecord;
import io.mallgate.tracing.Span;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * One proxied request on its way through the {@link ProxyChain}: what the steps learn about it (its target, its
 * body, the token in use) and how far it has got (retries so far, whether a replay is still allowed, how far the
 * current try went). The only object the chain adds per request; the steps themselves are shared.
 *
 * <p>Used on the request's event loop only ({@link RequestLoop}), so its fields are plain.
 */
final class ProxyCall {

  private final RoutingContext ctx;
  /** What the access line, the metrics and the apps' usage learn of this request: found once, kept here. */
  private final RequestFacts facts;
  private final String requestId;
  private final RequestLoop loop;
  private final long deadline;
  /** The request's server span: the token lookup and each try's call to Cafe24 are its children. */
  private final Span span;
  private ProxyTarget target;
  private RequestBody body;
  private TokenRecord record;
  private boolean replayAllowed;
  private int retries;
  /** Tries started so far: the first, each retry and a replay after a refresh. */
  private int tries;
  /** This try got past the breaker and the rate limiter: a failure from here on is the connection's. */
  private boolean connecting;
  /** This try had a connection: any byte of the request may have reached Cafe24. */
  private boolean reachedUpstream;
  private UnauthorizedBody kept;
  /** The shared call this request leads ({@link Coalescing}): its answer is kept for identical GETs waiting on it. */
  private SharedCall leads;
  /** An identical GET's answer, which this request waited for instead of calling Cafe24. */
  private SharedAnswer served;
  private boolean triedSharing;

  /** As {@link #ProxyCall(RoutingContext, long, Span)}, untraced. */
  ProxyCall(RoutingContext ctx, long deadline) {
    this(ctx, deadline, Span.NONE);
  }

  /**
   * Call on the request's thread, as the request arrives.
   *
   * @param deadline the {@link System#nanoTime} by which the response head must be in ({@code proxy.totalTimeout})
   * @param span     the request's server span, {@link Span#NONE} when tracing is off or the trace not sampled
   */
  ProxyCall(RoutingContext ctx, long deadline, Span span) {
    this.ctx = ctx;
    this.facts = RequestFacts.of(ctx);
    this.requestId = RequestIds.of(ctx, facts);
    this.loop = RequestLoop.enter(ctx);
    this.deadline = deadline;
    this.span = span;
  }

  /** The request's server span, passed explicitly to what the call asks of others (no thread-local context). */
  Span span() {
    return span;
  }

  RoutingContext ctx() {
    return ctx;
  }

  /** The request's facts, for the access line, the metrics and the apps' usage. */
  RequestFacts facts() {
    return facts;
  }

  /** The request's id: sent to Cafe24 as {@code X-Request-Id}. */
  String requestId() {
    return requestId;
  }

  HttpServerRequest request() {
    return ctx.request();
  }

  /** The request's own event loop, to bring shared services' answers back to. */
  RequestLoop loop() {
    return loop;
  }

  /** In {@link System#nanoTime} units. */
  long deadline() {
    return deadline;
  }

  /** Where the call goes; {@code null} until the admit step has checked the path. */
  ProxyTarget target() {
    return target;
  }

  String mall() {
    return target.mall();
  }

  void target(ProxyTarget checked) {
    this.target = checked;
  }

  /** The caller's body, taken over as soon as the request is admitted. */
  RequestBody body() {
    return body;
  }

  void body(RequestBody taken) {
    this.body = taken;
  }

  /** The mall's token record this try sends; {@code null} on the Front API, which sends none. */
  TokenRecord record() {
    return record;
  }

  /** A stored token for the call: a 401 that names it may be cured once, by a refresh and a replay. */
  void useToken(TokenRecord stored) {
    this.record = stored;
    this.replayAllowed = true;
  }

  /** The token a refresh gave after a 401: the call is sent again with it, and never replayed a second time. */
  void replayWith(TokenRecord fresh) {
    this.record = fresh;
    this.replayAllowed = false;
  }

  /** Whether a 401 naming the access token may still be refreshed and replayed. */
  boolean replayAllowed() {
    return replayAllowed;
  }

  /** Retries made so far (a replay after a refresh is not one). */
  int retries() {
    return retries;
  }

  void retried() {
    retries++;
  }

  /** A try (the first, a retry or a replay) starts: nothing of it has happened yet. */
  void newTry() {
    connecting = false;
    reachedUpstream = false;
    tries++;
  }

  /** The number of the current try: 1 for the first. */
  int tries() {
    return tries;
  }

  /** Called by the send step once the breaker and the rate limiter let this try seek a connection. */
  void markConnecting() {
    connecting = true;
  }

  /** Called by the send step once this try has a connection to Cafe24. */
  void markReachedUpstream() {
    reachedUpstream = true;
  }

  /**
   * Whether this try failed on the way to Cafe24 with nothing sent: no connection could be had. Not a refusal by the
   * gateway itself (circuit open, rate limited), and not a full pool (sending again would only add to the queue).
   */
  boolean failedBeforeSending(Throwable failure) {
    return connecting && !reachedUpstream && failure instanceof GatewayFailure gatewayFailure
        && gatewayFailure.code() != ErrorCode.OVERLOADED;
  }

  /** Whether the caller has had its answer (the total deadline) or hung up: nothing more should go to Cafe24. */
  boolean abandoned() {
    return ctx.response().ended() || ctx.response().closed();
  }

  /** A 401 whose body was read to decide on a refresh and goes back as it is; the relay writes what was read. */
  void keep(UnauthorizedBody read) {
    this.kept = read;
  }

  /** The 401 body {@link #keep} noted, or {@code null} when the response is relayed as a plain stream. */
  UnauthorizedBody kept() {
    return kept;
  }

  /** This request leads {@code shared}: the relay keeps its answer for the waiters. */
  void lead(SharedCall shared) {
    this.leads = shared;
  }

  /** The shared call this request leads, or {@code null}. */
  SharedCall leads() {
    return leads;
  }

  /** This request is answered with an identical GET's answer: the chain ends with no response head of its own. */
  void serve(SharedAnswer answer) {
    this.served = answer;
  }

  /** The answer {@link #serve} noted, or {@code null} when the request had its own exchange. */
  SharedAnswer served() {
    return served;
  }

  /** True the first time only: a request released by a shared call tries sharing once more, then goes alone. */
  boolean firstRelease() {
    boolean first = !triedSharing;
    triedSharing = true;
    return first;
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
