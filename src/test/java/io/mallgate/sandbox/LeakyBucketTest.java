package io.mallgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeakyBucketTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T00:00:00Z"));
  private final LeakyBucket bucket = new LeakyBucket(40, 2.0, clock);

  @Test
  void should_leak_fractions_and_round_used_up_when_part_of_a_second_passes() {
    for (int i = 0; i < 40; i++) {
      assertTrue(bucket.tryAcquire("m").admitted());
    }
    clock.advance(Duration.ofMillis(250));
    assertEquals("40/40", bucket.peek("m").header(), "39.5 calls are reported as 40");
    assertFalse(bucket.tryAcquire("m").admitted(), "half a free call is not a free call");
    clock.advance(Duration.ofMillis(250));
    assertTrue(bucket.tryAcquire("m").admitted());
  }

  @Test
  void should_keep_malls_apart_when_one_mall_is_full() {
    for (int i = 0; i < 40; i++) {
      bucket.tryAcquire("full");
    }
    assertFalse(bucket.tryAcquire("full").admitted());
    assertEquals("1/40", bucket.tryAcquire("quiet").header());
  }

  @Test
  void should_drain_to_empty_and_no_further_when_long_idle() {
    bucket.tryAcquire("m");
    clock.advance(Duration.ofHours(1));
    assertEquals("0/40", bucket.peek("m").header());
  }
}
