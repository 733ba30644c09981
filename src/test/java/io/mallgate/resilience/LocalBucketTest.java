package io.mallgate.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory bucket on a clock moved by hand: the semantics of the Lua scripts, exactly. */
class LocalBucketTest {

  private static final long MARGIN = RateBudget.SAFETY_MARGIN_MILLIS;
  private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may well be negative
  private final LocalBucket bucket = new LocalBucket(new RateBudget(40, 500, 10_000, 200), nanos::get);

  private void advance(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private int grantsInARow(String mall) {
    int granted = 0;
    while (bucket.tryAcquire(mall) == 0) {
      granted++;
    }
    return granted;
  }

  @Test
  void should_grant_capacity_calls_and_then_ask_for_one_drain_interval_and_the_margin_when_the_bucket_fills() {
    assertEquals(40, grantsInARow("a"));
    assertEquals(500 + MARGIN, bucket.tryAcquire("a"));
    advance(499 + MARGIN);
    assertEquals(1, bucket.tryAcquire("a"));
    advance(1);
    assertEquals(0, bucket.tryAcquire("a"));
    assertEquals(500, bucket.tryAcquire("a"), "later calls of the busy period are spaced by the interval alone");
  }

  @Test
  void should_drain_at_the_configured_rate_once_the_margin_has_passed_when_time_passes() {
    assertEquals(40, grantsInARow("a"));
    advance(MARGIN + 10_250);
    assertEquals(20, grantsInARow("a"), "10.25 s drain 20.5 calls");
    advance(60_000);
    assertEquals(40, grantsInARow("a"), "empty again");
  }

  @Test
  void should_hold_the_mall_until_the_pause_ends_when_cafe24_reports_a_wait() {
    bucket.learn("a", new UpstreamSignal(3_000, -1));
    assertEquals(3_000, bucket.tryAcquire("a"));
    bucket.learn("a", new UpstreamSignal(1_000, -1));
    assertEquals(3_000, bucket.tryAcquire("a"), "a shorter pause never shortens a longer one");
    advance(3_000);
    assertEquals(0, bucket.tryAcquire("a"));
    assertEquals(0, bucket.tryAcquire("b"), "other malls were never paused");
  }

  @Test
  void should_raise_the_level_but_never_lower_it_when_cafe24_reports_its_count() {
    bucket.learn("a", new UpstreamSignal(0, 38));
    assertEquals(2, grantsInARow("a"));
    for (int i = 0; i < 30; i++) {
      bucket.recordGrant("b");
    }
    bucket.learn("b", new UpstreamSignal(0, 3));
    assertEquals(10, grantsInARow("b"), "30 granted stay counted");
  }

  @Test
  void should_not_raise_the_level_when_cafe24_counts_the_same_whole_calls() {
    assertEquals(40, grantsInARow("a"));
    advance(10); // the answer comes back a little later
    long wait = bucket.tryAcquire("a");
    bucket.learn("a", new UpstreamSignal(0, 40));
    assertEquals(wait, bucket.tryAcquire("a"), "no time lost to Cafe24's whole numbers");
  }

  @Test
  void should_forget_idle_malls_when_many_have_been_seen() {
    for (int i = 0; i < 5_000; i++) {
      assertEquals(0, bucket.tryAcquire("mall-" + i));
    }
    advance(1_000); // every one of them has drained
    for (int i = 0; i < 1_024; i++) {
      bucket.recordGrant("busy");
    }
    assertEquals(1, bucket.trackedMalls(), "only the busy mall is left");
  }
}
