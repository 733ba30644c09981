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
    String[] values = new String[NAMES.length];
    StringBuilder field = new StringBuilder(64);
    for (int i = 0; i < values.length; i++) {
      field.setLength(0);
      appendField(i, field);
      values[i] = field.toString();
    }
    return values;
  }

  /** {@code mall=… app=… … gateway_code=…}: the message of a plain line, and the formatted message of a JSON one. */
  void appendMessage(StringBuilder out) {
    for (int i = 0; i < NAMES.length; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(NAMES[i]).append('=');
      appendField(i, out);
    }
  }

  /** Field {@code i} of {@link #NAMES} as printed, appended without an intermediate string (the writer's loop). */
  void appendField(int i, StringBuilder out) {
    switch (i) {
      case 3 -> AccessLog.appendPrintable(rawPath, out);
      case 4 -> out.append(status);
      case 5 -> appendMillis(totalNanos, out);
      case 6 -> {
        if (upstreamNanos == null) {
          out.append('-');
        } else {
          appendMillis(upstreamNanos, out);
        }
      }
      default -> out.append(stringField(i));
    }
  }

  /** Whether field {@code i} is a number ({@code status}, {@code ms}, {@code upstream_ms}): digits, - and . only. */
  static boolean numeric(int i) {
    return i >= 4 && i <= 6;
  }

  /**
   * Field {@code i}, one that is not {@link #numeric}, as printed: a string the line holds ({@code null} printed as
   * {@code null}, as a {@code StringBuilder} appends it), the path made {@link AccessLog#printable}.
   */
  String stringField(int i) {
    return switch (i) {
      case 0 -> String.valueOf(mall);
      case 1 -> String.valueOf(app);
      case 2 -> String.valueOf(method);
      case 3 -> AccessLog.printable(rawPath);
      case 7 -> String.valueOf(requestId);
      case 8 -> gatewayCode == null ? "-" : gatewayCode;
      default -> throw new IllegalArgumentException("no string field " + i);
    };
  }

  /** Milliseconds with one decimal, truncated ({@code 1.4}), in integer arithmetic. */
  static void appendMillis(long nanos, StringBuilder out) {
    long tenths = nanos / 100_000;
    if (tenths < 0) { // never from the monotonic clock; a sign, not a '/' for a digit, if ever
      out.append('-');
      tenths = -tenths;
    }
    long whole = tenths / 10;
    // An int and a digit where they fit (always, but for a request of 24 days): the cheaper appends, on every line.
    if (whole <= Integer.MAX_VALUE) {
      out.append((int) whole);
    } else {
      out.append(whole);
    }
    out.append('.').append((char) ('0' + tenths % 10));
  }
}
