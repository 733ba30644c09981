package io.mallgate.edge;

import io.mallgate.error.ErrorCode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * What the gateway learns about one request, from its arrival to its end: when it came, its id, and what the routes
 * add — the mall, the app, the tries sent to Cafe24 and the 429s it answered, the time to Cafe24's response head, the
 * wait for rate slots. The access line, the metrics, the apps' usage, the recent errors and the server span read it
 * when the request is over ({@link RequestEnd}).
 *
 * <p>One object per request, made by the edge ({@link EdgeGuard}) and kept under one key of the routing context:
 * a route finds it once ({@link #of}) and keeps the reference (the proxy's call does), where a map lookup per fact
 * would be repeated a dozen times for every call. On the request's event loop only, so its fields are plain.
 */
public final class RequestFacts {

  private static final String KEY = "mallgate.requestFacts";

  private final long startNanos;
  private String requestId;
  private String mall;
  private String app;
  private int cafe24Calls;
  private int cafe24Throttles;
  private boolean upstreamStarted;
  private long upstreamStart;
  private boolean upstreamAnswered;
  private long upstreamNanos;
  private boolean rateWaited;
  private long rateWaitNanos;
  private String gatewayCode;

  private RequestFacts(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Starts a request's facts: by the edge, as the request arrives, before any route. */
  static RequestFacts start(RoutingContext ctx, long startNanos) {
    RequestFacts facts = new RequestFacts(startNanos);
    ctx.put(KEY, facts);
    return facts;
  }

  /** The request's facts; made now (starting now) for a request the edge did not see, as in some tests. */
  public static RequestFacts of(RoutingContext ctx) {
    RequestFacts facts = ctx.get(KEY);
    return facts != null ? facts : start(ctx, System.nanoTime());
  }

  /** {@link System#nanoTime} when the gateway's first handler saw the request. */
  public long startNanos() {
    return startNanos;
  }

  /** The request's id ({@link RequestIds}): echoed to the caller, sent to Cafe24, written in the access line. */
  public String requestId() {
    return requestId;
  }

  void requestId(String id) {
    this.requestId = id;
  }

  /** Records the mall the request is for. */
  public void mall(String mall) {
    this.mall = mall;
  }

  /** The mall the request was for, or {@code null} when no route named one. */
  public String mall() {
    return mall;
  }

  /**
   * Records the app a proxied call came from: a name the proxy has checked ({@link AppNames}), or
   * {@link AppNames#NONE}. Never a raw header value.
   */
  public void app(String app) {
    this.app = app;
  }

  /** The app a proxied call came from, or {@code null} for a request the proxy did not admit (or no proxy call). */
  public String app() {
    return app;
  }

  /** Counts one try sent to Cafe24 (it had a connection and went out): each one spends the mall's budget. */
  public void cafe24Call() {
    cafe24Calls++;
  }

  /** Tries sent to Cafe24 (the first, retries and replays), 0 when none went out. */
  public int cafe24Calls() {
    return cafe24Calls;
  }

  /** Counts one try Cafe24 answered with its own 429 (retried away or passed on). */
  public void cafe24Throttle() {
    cafe24Throttles++;
  }

  /** Tries Cafe24 answered with its own 429. */
  public int cafe24Throttles() {
    return cafe24Throttles;
  }

  /** Marks the moment an upstream request starts (each try marks its own). */
  public void upstreamStarted() {
    upstreamStart = System.nanoTime();
    upstreamStarted = true;
  }

  /** Marks the moment the upstream response head that is relayed arrived. */
  public void upstreamAnswered() {
    if (upstreamStarted) {
      upstreamNanos = System.nanoTime() - upstreamStart;
      upstreamAnswered = true;
    }
  }

  /** Whether Cafe24 answered: then {@link #upstreamNanos} is the time to its response head. */
  public boolean hasUpstreamNanos() {
    return upstreamAnswered;
  }

  /** Time from the last upstream request's start to its response head; meaningful when {@link #hasUpstreamNanos}. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  /** Adds time spent waiting for the rate limiter's slot (each try of the request adds its own). */
  public void rateWaited(long nanos) {
    rateWaitNanos += nanos;
    rateWaited = true;
  }

  /** Whether the request asked the rate limiter: then {@link #rateWaitNanos} is the time it waited. */
  public boolean hasRateWait() {
    return rateWaited;
  }

  /** Time spent waiting for rate-limiter slots; meaningful when {@link #hasRateWait}. */
  public long rateWaitNanos() {
    return rateWaitNanos;
  }

  /** Reads what the response ended with, once, for every {@link RequestEnd}: by the edge, as the request ends. */
  void ended(HttpServerResponse response) {
    gatewayCode = response.headers().get(ErrorCode.HEADER);
  }

  /**
   * The error code the gateway answered with ({@code X-Mallgate-Error}), or {@code null} for an answer of Cafe24's or
   * a route that succeeded; known once the request has ended ({@link RequestEnd}).
   */
  public String gatewayCode() {
    return gatewayCode;
  }
}
