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
 * {@code code} or {@code state}), status, total and upstream milliseconds, request id and gateway error code, from
 * the request's {@link RequestFacts}.
 */
public final class AccessLog implements RequestEnd {

  private static final Logger LOG = LoggerFactory.getLogger("mallgate.access");
  /** The status logged for a caller that left before any answer. */
  static final int CLIENT_CLOSED = 499;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

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
  public void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome) {
    // Orchestrators probe every few seconds per instance: those answers are in the metrics, not worth a line each.
    if (sink == null || throughLogger && !LOG.isInfoEnabled() || isProbe(ctx.request().path())) {
      return;
    }
    // A caller that left before any answer got none: Vert.x would still report its default, 200. 499 is what
    // operators know from nginx for "client closed request".
    int status = outcome.failed() && !ctx.response().headWritten() ? CLIENT_CLOSED : ctx.response().getStatusCode();
    sink.accept(new AccessLine(System.currentTimeMillis(), Thread.currentThread().getName(),
        facts.mall() == null ? "-" : facts.mall(), facts.app() == null ? AppNames.NONE : facts.app(),
        ctx.request().method().name(), ctx.request().path(), status, System.nanoTime() - facts.startNanos(),
        facts.hasUpstreamNanos() ? facts.upstreamNanos() : null, facts.requestId(),
        facts.gatewayCode()));
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
