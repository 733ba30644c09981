package io.mallgate.resilience;

import io.vertx.core.MultiMap;

/**
 * What one Cafe24 answer says about a mall's budget.
 *
 * @param pauseMillis how long nobody may call the mall, in ms (0: no pause): the longest of
 *                    {@code X-Cafe24-Call-Remain}, {@code X-Cafe24-Time-Remain} and {@code Retry-After} (seconds),
 *                    at least 1 s for a 429 or a usage of 100 % or more
 * @param used        calls Cafe24 counts in the bucket ({@code X-Api-Call-Limit: used/cap}), scaled to our capacity
 *                    when Cafe24's differs (a few endpoints have 10); -1 when not reported
 */
record UpstreamSignal(long pauseMillis, int used) {

  static final String CALL_LIMIT = "X-Api-Call-Limit";
  static final String CALL_REMAIN = "X-Cafe24-Call-Remain";
  static final String TIME_REMAIN = "X-Cafe24-Time-Remain";
  static final String CALL_USAGE = "X-Cafe24-Call-Usage";
  static final String TIME_USAGE = "X-Cafe24-Time-Usage";

  /** Longest pause taken from a header: a garbled value must not stop a mall for days. */
  static final long MAX_PAUSE_MILLIS = 3_600_000;

  /** The minimum pause after a bare 429 or a usage at its limit. */
  static final long BLOCKED_PAUSE_MILLIS = 1_000;

  /** Reads the headers; unreadable values count as absent. */
  static UpstreamSignal read(int status, MultiMap headers, int capacity) {
    long pause = Math.max(seconds(headers.get(CALL_REMAIN)),
        Math.max(seconds(headers.get(TIME_REMAIN)), seconds(headers.get("Retry-After"))));
    if (status == 429 || percent(headers.get(CALL_USAGE)) >= 100 || percent(headers.get(TIME_USAGE)) >= 100) {
      pause = Math.max(pause, BLOCKED_PAUSE_MILLIS);
    }
    return new UpstreamSignal(Math.min(pause, MAX_PAUSE_MILLIS), used(headers.get(CALL_LIMIT), capacity));
  }

  /** Whether there is anything to learn. */
  boolean isEmpty() {
    return pauseMillis <= 0 && used < 0;
  }

  private static long seconds(String value) {
    double seconds = number(value);
    return seconds > 0 ? (long) Math.ceil(Math.min(seconds, MAX_PAUSE_MILLIS / 1000.0) * 1000) : 0;
  }

  private static double percent(String value) {
    return number(value == null ? null : value.replace("%", ""));
  }

  private static int used(String value, int capacity) {
    int slash = value == null ? -1 : value.indexOf('/');
    if (slash < 0) {
      return -1;
    }
    double used = number(value.substring(0, slash));
    double cap = number(value.substring(slash + 1));
    if (!(used >= 0) || !(cap >= 1)) {
      return -1;
    }
    return (int) Math.min(capacity, Math.ceil(used * capacity / cap));
  }

  private static double number(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      double number = Double.parseDouble(value.trim());
      return Double.isFinite(number) ? number : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
