package io.mallgate.edge;

import io.vertx.core.AsyncResult;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access line per request, captured when the response ends and handed to a sink (the gateway's batched
 * {@link AccessLineWriter} on stdout by default, or logback's {@code mallgate.access} logger): mall, app (the caller's
 * checked {@code X-Mallgate-App}, {@code -} without one), method, path (never the query: it may hold an OAuth
 * {@code code} or {@code state}), status, total and upstream milliseconds, request id and gateway error code. Routes
 * add what they know through {@link #mall}, {@link #app} and {@link #upstreamStarted}; the metrics and the apps'
 * usage read the same facts (calls sent to Cafe24 and the 429s Cafe24 answered, {@link #cafe24Call}).
 */
public final class AccessLog implements RequestEnd {

  private static final Logger LOG = LoggerFactory.getLogger("mallgate.access");
  private static final String FACTS = "mallgate.requestFacts";
  /** The status logged for a caller that left before any answer. */
  static final int CLIENT_CLOSED = 499;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Records the mall a request is for. */
  public static void mall(RoutingContext ctx, String mall) {
    facts(ctx).mall = mall;
  }

  /** The mall a request was for, or {@code null} when no route named one. */
  public static String mallOf(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null ? null : facts.mall;
  }

  /**
   * Records the app a proxied call came from: a name the proxy has checked ({@link AppNames}), or
   * {@link AppNames#NONE}. Never a raw header value.
   */
  public static void app(RoutingContext ctx, String app) {
    facts(ctx).app = app;
  }

  /** The app a proxied call came from, or {@code null} for a request the proxy did not admit (or no proxy call). */
  public static String appOf(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null ? null : facts.app;
  }

  /** Counts one try sent to Cafe24 (it had a connection and went out): each one spends the mall's budget. */
  public static void cafe24Call(RoutingContext ctx) {
    facts(ctx).cafe24Calls++;
  }

  /** Tries sent to Cafe24 (the first, retries and replays), 0 when none went out. */
  public static int cafe24Calls(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null ? 0 : facts.cafe24Calls;
  }

  /** Counts one try Cafe24 answered with its own 429 (retried away or passed on). */
  public static void cafe24Throttle(RoutingContext ctx) {
    facts(ctx).cafe24Throttles++;
  }

  /** Tries Cafe24 answered with its own 429. */
  public static int cafe24Throttles(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null ? 0 : facts.cafe24Throttles;
  }

  /** Marks the moment the upstream request starts. */
  public static void upstreamStarted(RoutingContext ctx) {
    Facts facts = facts(ctx);
    facts.upstreamStart = System.nanoTime();
    facts.upstreamStarted = true;
  }

  /** Marks the moment the upstream response head arrived. */
  public static void upstreamAnswered(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    if (facts != null && facts.upstreamStarted) {
      facts.upstreamNanos = System.nanoTime() - facts.upstreamStart;
      facts.upstreamAnswered = true;
    }
  }

  /** Adds time spent waiting for the rate limiter's slot (each try of the request adds its own). */
  public static void rateWaited(RoutingContext ctx, long nanos) {
    Facts facts = facts(ctx);
    facts.rateWaitNanos += nanos;
    facts.rateWaited = true;
  }

  /** Time from the last upstream request's start to its response head, or {@code null} when none answered. */
  public static Long upstreamNanos(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null || !facts.upstreamAnswered ? null : facts.upstreamNanos;
  }

  /** Time spent waiting for rate-limiter slots, or {@code null} when the request never asked for one. */
  public static Long rateWaitNanos(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    return facts == null || !facts.rateWaited ? null : facts.rateWaitNanos;
  }

  private static Facts facts(RoutingContext ctx) {
    Facts facts = ctx.get(FACTS);
    if (facts == null) {
      facts = new Facts();
      ctx.put(FACTS, facts);
    }
    return facts;
  }

  /**
   * What the routes learn about one request, read by the access line, the metrics and the apps' usage: one object
   * under one key of the routing context rather than a map entry (and a boxed number) per fact. On the request's
   * event loop only.
   */
  private static final class Facts {
    String mall;
    String app;
    int cafe24Calls;
    int cafe24Throttles;
    boolean upstreamStarted;
    long upstreamStart;
    boolean upstreamAnswered;
    long upstreamNanos;
    boolean rateWaited;
    long rateWaitNanos;
  }

  private final Consumer<AccessLine> sink;
  /** Through logback, its level decides per request (an operator may change it while the gateway runs). */
  private final boolean throughLogger;

  /**
   * @param sink where each request's line goes: {@link #toLogger()}, an {@link AccessLineWriter}, or {@code null} for
   *             no access lines ({@code accessLog.output: off})
   */
  public AccessLog(Consumer<AccessLine> sink) {
    this.sink = sink;
    this.throughLogger = sink instanceof LoggerSink;
  }

  /** The lines through logback's {@code mallgate.access} logger, written on the event loop that served the request. */
  public static Consumer<AccessLine> toLogger() {
    return new LoggerSink();
  }

  @Override
  public void ended(RoutingContext ctx, AsyncResult<Void> outcome, long startNanos) {
    // Orchestrators probe every few seconds per instance: those answers are in the metrics, not worth a line each.
    if (sink == null || throughLogger && !LOG.isInfoEnabled() || isProbe(ctx.request().path())) {
      return;
    }
    // A caller that left before any answer got none: Vert.x would still report its default, 200. 499 is what
    // operators know from nginx for "client closed request".
    int status = outcome.failed() && !ctx.response().headWritten() ? CLIENT_CLOSED : ctx.response().getStatusCode();
    Facts facts = facts(ctx);
    sink.accept(new AccessLine(System.currentTimeMillis(), Thread.currentThread().getName(),
        facts.mall == null ? "-" : facts.mall, facts.app == null ? AppNames.NONE : facts.app,
        ctx.request().method().name(), ctx.request().path(), status, System.nanoTime() - startNanos,
        facts.upstreamAnswered ? facts.upstreamNanos : null, RequestIds.of(ctx),
        ctx.response().headers().get("X-Mallgate-Error")));
  }

  /** Each line as one logback event: the fields in the message for plain lines, as key-value pairs for JSON ones. */
  static final class LoggerSink implements Consumer<AccessLine> {

    @Override
    public void accept(AccessLine line) {
      String[] v = line.values();
      LOG.atInfo()
          .addKeyValue("mall", v[0]).addKeyValue("app", v[1]).addKeyValue("method", v[2]).addKeyValue("path", v[3])
          .addKeyValue("status", line.status()).addKeyValue("ms", v[5]).addKeyValue("upstream_ms", v[6])
          .addKeyValue("request_id", v[7]).addKeyValue("gateway_code", v[8])
          .setMessage("mall={} app={} method={} path={} status={} ms={} upstream_ms={} request_id={} gateway_code={}")
          .addArgument(v[0]).addArgument(v[1]).addArgument(v[2]).addArgument(v[3]).addArgument(line.status())
          .addArgument(v[5]).addArgument(v[6]).addArgument(v[7]).addArgument(v[8])
          .log();
    }
  }

  static boolean isProbe(String path) {
    return path != null && path.startsWith("/health/");
  }

  /** A log line is one line of plain text: control and non-ASCII characters are written as {@code \\xNN}. */
  public static String printable(String text) {
    if (text == null) {
      return "-";
    }
    for (int i = 0; i < text.length(); i++) {
      if (!plain(text.charAt(i))) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        appendPrintable(text, out);
        return out.toString();
      }
    }
    return text;
  }

  /** {@link #printable}, appended to {@code out}. */
  static void appendPrintable(String text, StringBuilder out) {
    if (text == null) {
      out.append('-');
      return;
    }
    int plainUpTo = 0;
    while (plainUpTo < text.length() && plain(text.charAt(plainUpTo))) {
      plainUpTo++;
    }
    out.append(text, 0, plainUpTo); // the whole path, as a rule: one copy
    for (int i = plainUpTo; i < text.length(); i++) {
      char c = text.charAt(i);
      if (plain(c)) {
        out.append(c);
      } else {
        out.append("\\x");
        if (c > 0xff) { // as %02x: every digit of a wider character
          out.append(Integer.toHexString(c));
        } else {
          out.append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      }
    }
  }

  private static boolean plain(char c) {
    return c >= 0x20 && c < 0x7f && c != '\\';
  }
}
