package io.mallgate.edge;

/**
 * What one access line says about one request, captured on the event loop as the response ends and written later:
 * by logback ({@link AccessLog#toLogger()}) or by the gateway's own batched writer ({@link AccessLineWriter}).
 *
 * @param epochMillis   when the response ended
 * @param thread        the event loop that served it (the {@code threadName} of the line)
 * @param mall          the mall a route named, or {@code -}
 * @param app           a checked app name ({@link AppNames}) or {@code -}: printed as it is
 * @param method        the request's method
 * @param rawPath       the request's path as received, without its query; made {@link AccessLog#printable} when written
 * @param status        the answer's status, 499 when the caller left before any answer
 * @param totalNanos    time from the first handler to the end of the answer
 * @param upstreamNanos time to the upstream's response head, or {@code null} when none answered
 * @param requestId     the request's id ({@link RequestIds})
 * @param gatewayCode   the {@code X-Mallgate-Error} code, or {@code null} when the gateway raised none
 */
public record AccessLine(long epochMillis, String thread, String mall, String app, String method, String rawPath,
    int status, long totalNanos, Long upstreamNanos, String requestId, String gatewayCode) {

  /** The fields in line order, by the names both formats use. */
  static final String[] NAMES = {"mall", "app", "method", "path", "status", "ms", "upstream_ms", "request_id",
      "gateway_code"};

  /** The field values in {@link #NAMES} order, as printed: each one token without spaces. */
  String[] values() {
    return new String[] {mall, app, method, AccessLog.printable(rawPath), Integer.toString(status),
        millis(totalNanos), upstreamNanos == null ? "-" : millis(upstreamNanos), requestId,
        gatewayCode == null ? "-" : gatewayCode};
  }

  /** {@code mall=… app=… … gateway_code=…}: the message of a plain line, and the formatted message of a JSON one. */
  static void appendMessage(StringBuilder out, String[] values) {
    for (int i = 0; i < NAMES.length; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(NAMES[i]).append('=').append(values[i]);
    }
  }

  static String millis(long nanos) {
    return String.valueOf(nanos / 100_000 / 10.0);
  }
}
