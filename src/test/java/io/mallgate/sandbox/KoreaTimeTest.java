package io.mallgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulator writes Korea time by itself, with known answers worked out by hand (UTC + 9 hours). */
class KoreaTimeTest {

  @Test
  void should_write_korea_wall_clock_time_without_zone_when_formatting_a_token_timestamp() {
    assertEquals("2021-03-01T14:00:00.000", KoreaTime.naive(Instant.parse("2021-03-01T05:00:00Z")));
    // Past 15:00 UTC it is already the next day in Seoul.
    assertEquals("2021-03-01T01:30:15.250", KoreaTime.naive(Instant.parse("2021-02-28T16:30:15.250Z")));
  }

  @Test
  void should_write_the_offset_and_whole_seconds_when_formatting_an_api_timestamp() {
    assertEquals("2021-03-01T14:00:07+09:00", KoreaTime.zoned(Instant.parse("2021-03-01T05:00:07.999Z")));
  }
}
