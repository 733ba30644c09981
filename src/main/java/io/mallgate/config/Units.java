package io.mallgate.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration and size formats of {@code conf/gateway.yaml}. Each method throws
 * {@link IllegalArgumentException} with a message fit to follow a key path; the messages quote the text, so never
 * pass a secret.
 */
final class Units {

  /**
   * Upper bound of every duration: Vert.x options take many timeouts as {@code int} milliseconds, and 24 days is the
   * largest whole number of days that fits, so no conversion downstream can overflow.
   */
  static final Duration MAX_DURATION = Duration.ofDays(24);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
  private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,18})(KiB|MiB|GiB|KB|MB|GB)?");
  private static final Map<String, ChronoUnit> TIME_UNITS = Map.of(
      "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS,
      "d", ChronoUnit.DAYS);
  private static final Map<String, Long> SIZE_UNITS = Map.of(
      "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30, "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L);

  private Units() {
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}: greater than 0 and at most 24 days. */
  static Duration duration(String text) {
    String s = text.strip();
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      if (BARE_NUMBER.matcher(s).matches()) {
        throw new IllegalArgumentException("needs a unit: ms, s, m, h or d, got " + Problems.quote(s));
      }
      throw new IllegalArgumentException("expected a duration like 500ms, 30s, 5m, 2h or 7d, got " + Problems.quote(s));
    }
    long amount = Long.parseLong(m.group(1));
    // An amount above the limit in milliseconds is above it in every unit; checking first avoids overflow.
    if (amount > MAX_DURATION.toMillis()
        || Duration.of(amount, TIME_UNITS.get(m.group(2))).compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("must be at most 24d, got " + Problems.quote(s));
    }
    if (amount == 0) {
      throw new IllegalArgumentException("must be greater than 0, got " + Problems.quote(s));
    }
    return Duration.of(amount, TIME_UNITS.get(m.group(2)));
  }

  /** Bytes: a plain integer, or with a binary ({@code KiB, MiB, GiB}) or decimal ({@code KB, MB, GB}) unit; > 0. */
  static long size(String text) {
    String s = text.strip();
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected bytes, or a size with a unit KiB, MiB, GiB, KB, MB or GB like 10MiB, got " + Problems.quote(s));
    }
    long bytes;
    try {
      long unit = m.group(2) == null ? 1 : SIZE_UNITS.get(m.group(2));
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("is too large, got " + Problems.quote(s));
    }
    if (bytes == 0) {
      throw new IllegalArgumentException("must be greater than 0, got " + Problems.quote(s));
    }
    return bytes;
  }
}
