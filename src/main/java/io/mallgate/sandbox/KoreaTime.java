package io.mallgate.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the simulated Cafe24 writes times: Korea time (UTC+9, no daylight saving since 1988). Written here rather than
 * borrowed from the gateway on purpose: the simulator is the oracle the gateway's own time parsing is tested
 * against, and a shared helper would make a bug in one invisible in the other.
 */
final class KoreaTime {

  static final ZoneOffset OFFSET = ZoneOffset.ofHours(9);
  /** Cafe24's token timestamps: milliseconds and no zone, e.g. {@code 2021-03-01T14:00:00.000}. */
  private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
  /** Cafe24's API timestamps: seconds and an offset, e.g. {@code 2021-03-01T14:00:00+09:00}. */
  private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private KoreaTime() {
  }

  /** A token endpoint timestamp: Korea wall-clock time, milliseconds, no zone. */
  static String naive(Instant instant) {
    return NAIVE.format(instant.atOffset(OFFSET));
  }

  /** An Admin API timestamp: Korea time with its offset, whole seconds. */
  static String zoned(Instant instant) {
    return ZONED.format(instant.atOffset(OFFSET));
  }
}
