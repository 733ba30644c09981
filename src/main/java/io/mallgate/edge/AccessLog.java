package io.mallgate.edge;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code mallgate.access} logger, written when the response ends: mall, app (the caller's
 * checked {@code X-Mallgate-App}, {@code -} without one), method, path (never the query: it may hold an OAuth
 * {@code code} or {@code state}), status, total and upstream milliseconds, request id and gateway error code. Routes
 * add what they know through {@link #mall}, {@link #app} and {@link #upstreamStarted}; the metrics and the apps'
 * usage read the same facts (calls sent to Cafe24 and the 429s Cafe24 answered, {@link #cafe24Call}).
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("mallgate.access");
  private static final String MALL = "mallgate.mall";
  private static final String UPSTREAM_START = "mallgate.upstreamStart";
  private static final String UPSTREAM_NANOS = "mallgate.upstreamNanos";
  private static final String RATE_WAIT_NANOS = "mallgate.rateWaitNanos";
  private static final String APP = "mallgate.app";
  private static final String CAFE24_CALLS = "mallgate.cafe24Calls";
  private static final String CAFE24_THROTTLES = "mallgate.cafe24Throttles";
  /** The status logged for a caller that left before any answer. */
  static final int CLIENT_CLOSED = 499;

  /** Records the mall a request is for. */
  public static void mall(RoutingContext ctx, String mall) {
    ctx.put(MALL, mall);
  }

  /** The mall a request was for, or {@code null} when no route named one. */
  public static String mallOf(RoutingContext ctx) {
    return ctx.get(MALL);
  }

  /**
   * Records the app a proxied call came from: a name the proxy has checked ({@link AppNames}), or
   * {@link AppNames#NONE}. Never a raw header value.
   */
  public static void app(RoutingContext ctx, String app) {
    ctx.put(APP, app);
  }

  /** The app a proxied call came from, or {@code null} for a request the proxy did not admit (or no proxy call). */
  public static String appOf(RoutingContext ctx) {
    return ctx.get(APP);
  }

  /** Counts one try sent to Cafe24 (it had a connection and went out): each one spends the mall's budget. */
  public static void cafe24Call(RoutingContext ctx) {
    Integer before = ctx.get(CAFE24_CALLS);
    ctx.put(CAFE24_CALLS, before == null ? 1 : before + 1);
  }

  /** Tries sent to Cafe24 (the first, retries and replays), 0 when none went out. */
  public static int cafe24Calls(RoutingContext ctx) {
    Integer calls = ctx.get(CAFE24_CALLS);
    return calls == null ? 0 : calls;
  }

  /** Counts one try Cafe24 answered with its own 429 (retried away or passed on). */
  public static void cafe24Throttle(RoutingContext ctx) {
    Integer before = ctx.get(CAFE24_THROTTLES);
    ctx.put(CAFE24_THROTTLES, before == null ? 1 : before + 1);
  }

  /** Tries Cafe24 answered with its own 429. */
  public static int cafe24Throttles(RoutingContext ctx) {
    Integer throttles = ctx.get(CAFE24_THROTTLES);
    return throttles == null ? 0 : throttles;
  }

  /** Marks the moment the upstream request starts. */
  public static void upstreamStarted(RoutingContext ctx) {
    ctx.put(UPSTREAM_START, System.nanoTime());
  }

  /** Marks the moment the upstream response head arrived. */
  public static void upstreamAnswered(RoutingContext ctx) {
    Long start = ctx.get(UPSTREAM_START);
    if (start != null) {
      ctx.put(UPSTREAM_NANOS, System.nanoTime() - start);
    }
  }

  /** Adds time spent waiting for the rate limiter's slot (each try of the request adds its own). */
  public static void rateWaited(RoutingContext ctx, long nanos) {
    Long before = ctx.get(RATE_WAIT_NANOS);
    ctx.put(RATE_WAIT_NANOS, before == null ? nanos : before + nanos);
  }

  /** Time from the last upstream request's start to its response head, or {@code null} when none answered. */
  public static Long upstreamNanos(RoutingContext ctx) {
    return ctx.get(UPSTREAM_NANOS);
  }

  /** Time spent waiting for rate-limiter slots, or {@code null} when the request never asked for one. */
  public static Long rateWaitNanos(RoutingContext ctx) {
    return ctx.get(RATE_WAIT_NANOS);
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Orchestrators probe every few seconds per instance: those answers are in the metrics, not worth a line each.
    if (!LOG.isInfoEnabled() || isProbe(ctx.request().path())) {
      ctx.next();
      return;
    }
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      Long upstream = ctx.get(UPSTREAM_NANOS);
      String code = ctx.response().headers().get("X-Mallgate-Error");
      String mall = ctx.get(MALL, "-");
      String app = ctx.get(APP, AppNames.NONE);
      String method = ctx.request().method().name();
      String path = ctx.request().path();
      // A caller that left before any answer got none: Vert.x would still report its default, 200. 499 is what
      // operators know from nginx for "client closed request".
      int status = done.failed() && !ctx.response().headWritten() ? CLIENT_CLOSED : ctx.response().getStatusCode();
      write(mall, app, method, path, status, System.nanoTime() - start, upstream, RequestIds.of(ctx), code);
    });
    ctx.next();
  }

  /**
   * Writes one access line (a method of its own so that the micro-benchmark measures the very line written).
   *
   * @param app           a checked app name ({@link AppNames}) or {@code -}: printed as it is
   * @param upstreamNanos time to the upstream's response head, or {@code null} when none answered
   * @param gatewayCode   the {@code X-Mallgate-Error} code, or {@code null} when the gateway raised none
   */
  static void write(String mall, String app, String method, String rawPath, int status, long totalNanos,
      Long upstreamNanos, String requestId, String gatewayCode) {
    String path = printable(rawPath);
    String total = millis(totalNanos);
    String upstreamMillis = upstreamNanos == null ? "-" : millis(upstreamNanos);
    String code = gatewayCode == null ? "-" : gatewayCode;
    // The same fields twice: in the message for plain lines, as key-value pairs for JSON lines.
    LOG.atInfo()
        .addKeyValue("mall", mall).addKeyValue("app", app).addKeyValue("method", method).addKeyValue("path", path)
        .addKeyValue("status", status).addKeyValue("ms", total).addKeyValue("upstream_ms", upstreamMillis)
        .addKeyValue("request_id", requestId).addKeyValue("gateway_code", code)
        .setMessage("mall={} app={} method={} path={} status={} ms={} upstream_ms={} request_id={} gateway_code={}")
        .addArgument(mall).addArgument(app).addArgument(method).addArgument(path).addArgument(status).addArgument(total)
        .addArgument(upstreamMillis).addArgument(requestId).addArgument(code)
        .log();
  }

  static boolean isProbe(String path) {
    return path != null && path.startsWith("/health/");
  }

  /** A log line is one line of plain text: control and non-ASCII characters are written as {@code \\xNN}. */
  public static String printable(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
      if (!plain && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (plain) {
          out.append(c);
        } else {
          out.append(String.format("\\x%02x", (int) c));
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String millis(long nanos) {
    return String.valueOf(nanos / 100_000 / 10.0);
  }
}
