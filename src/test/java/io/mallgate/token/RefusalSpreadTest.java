package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalSpreadTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T00:00:00Z"));
  private final RefusalSpread spread = new RefusalSpread(clock);

  @Test
  void should_call_it_widespread_when_a_third_distinct_mall_is_refused_alike_within_the_window() {
    assertFalse(spread.widespread("invalid_grant/Invalid refresh_token", "a"));
    assertFalse(spread.widespread("invalid_grant/Invalid refresh_token", "a"), "the same mall counts once");
    assertFalse(spread.widespread("invalid_grant/Invalid refresh_token", "b"));
    assertFalse(spread.widespread("invalid_grant/other words", "c"), "other words are another story");
    assertTrue(spread.widespread("invalid_grant/Invalid refresh_token", "c"));
  }

  @Test
  void should_forget_refusals_older_than_the_window() {
    spread.widespread("w", "a");
    spread.widespread("w", "b");
    clock.advance(RefusalSpread.WINDOW.plus(Duration.ofMillis(1)));
    assertFalse(spread.widespread("w", "c"), "a and b were more than a minute ago");
    clock.advance(Duration.ofSeconds(30));
    spread.widespread("w", "d");
    assertTrue(spread.widespread("w", "e"), "c, d and e within the minute");
  }
}
