package io.mallgate.cafe24;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Cafe24's timestamps: {@code 2021-03-01T14:00:00.000}, milliseconds and no zone, in Korea time. Reading them as UTC
 * makes every token look valid nine hours too long, so they are always parsed in {@code Asia/Seoul}. A timestamp that
 * does carry an offset is honoured as written.
 */
public final class Cafe24Time {

  public static final ZoneId KOREA = ZoneId.of("Asia/Seoul");
  private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private Cafe24Time() {
  }

  /**
   * Parses a Cafe24 timestamp.
   *
   * @throws IllegalArgumentException naming the text when it is not a timestamp (timestamps are not secrets)
   */
  public static Instant parse(String text) {
    try {
      return LocalDateTime.parse(text).atZone(KOREA).toInstant();
    } catch (DateTimeParseException naive) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException zoned) {
        throw new IllegalArgumentException("not a Cafe24 timestamp: " + text);
      }
    }
  }

  /** ISO-8601 in Korea time with its offset ({@code 2021-03-01T14:00:00.000+09:00}), always the same width: unambiguous, and reads like Cafe24. */
  public static String iso(Instant instant) {
    return ISO.format(instant.atZone(KOREA));
  }

  /** Formats an instant the way Cafe24 writes it: Korea time, milliseconds, no zone. */
  public static String format(Instant instant) {
    return WRITE.format(instant.atZone(KOREA));
  }
}
