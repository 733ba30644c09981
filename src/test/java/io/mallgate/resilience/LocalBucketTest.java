package io.mallgate.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory bucket on a clock moved by hand: the semantics of the Lua scripts, exactly. */
class LocalBucketTest {

  private static final long MARGIN = RateBudget.SAFETY_MARGIN_MILLIS;
  private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // nanoTime may well be negative
  private final LocalBucket bucket = new LocalBucket(new RateBudget(40, 500, 10_000, 200, 0, 0, 0), nanos::get);

  private void advance(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** One decision: 0 for a grant, else the wait in ms. */
  private long waitFor(String mall) {
    return bucket.tryAcquire(mall).waitMillis();
  }

  private int grantsInARow(String mall) {
    int granted = 0;
    while (waitFor(mall) == 0) {
      granted++;
    }
    return granted;
  }

  @Test
  void should_grant_capacity_calls_and_then_ask_for_one_drain_interval_and_the_margin_when_the_bucket_fills() {
    assertEquals(40, grantsInARow("a"));
    assertEquals(500 + MARGIN, waitFor("a"));
    advance(499 + MARGIN);
    assertEquals(1, waitFor("a"));
    advance(1);
    assertEquals(0, waitFor("a"));
    assertEquals(500, waitFor("a"), "later calls of the busy period are spaced by the interval alone");
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
    assertEquals(3_000, waitFor("a"));
    bucket.learn("a", new UpstreamSignal(1_000, -1));
    assertEquals(3_000, waitFor("a"), "a shorter pause never shortens a longer one");
    advance(3_000);
    assertEquals(0, waitFor("a"));
    assertEquals(0, waitFor("b"), "other malls were never paused");
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
    long wait = waitFor("a");
    bucket.learn("a", new UpstreamSignal(0, 40));
    assertEquals(wait, waitFor("a"), "no time lost to Cafe24's whole numbers");
  }

  /** The shipped settings: Cafe24's bucket, 9 calls of a mall a second, and {@code egress} of all (0: no cap). */
  private LocalBucket paced(int egress) {
    return new LocalBucket(RateBudget.of(RateTestSupport.paced(40, 2, Duration.ofSeconds(10), 200, 9, egress)),
        nanos::get);
  }

  @Test
  void should_space_a_malls_grants_one_pace_interval_apart_after_the_margin_when_its_bucket_has_room() {
    LocalBucket paced = paced(0);
    assertEquals(0, paced.tryAcquire("a").waitMillis());
    assertEquals(MARGIN + 123, paced.tryAcquire("a").waitMillis(),
        "a busy period's second call: the margin, then (1000 + 100) / 9 = 122.2 ms, rounded up");
    advance(MARGIN + 122);
    assertEquals(1, paced.tryAcquire("a").waitMillis());
    advance(1);
    assertEquals(0, paced.tryAcquire("a").waitMillis());
    assertEquals(123, paced.tryAcquire("a").waitMillis(), "the rest of the busy period: the pace alone");
    assertEquals(0, paced.tryAcquire("b").waitMillis(), "another mall has a pace of its own");
  }

  @Test
  void should_add_the_margin_only_after_the_mall_was_idle_for_a_second_when_pacing() {
    LocalBucket paced = paced(0);
    assertEquals(0, paced.tryAcquire("a").waitMillis());
    advance(MARGIN + 123);
    for (int i = 0; i < 5; i++) {
      advance(600); // a steady stream, slower than the pace: never idle
      assertEquals(0, paced.tryAcquire("a").waitMillis());
      assertEquals(123, paced.tryAcquire("a").waitMillis(), "no margin within a stream");
      advance(123);
      assertEquals(0, paced.tryAcquire("a").waitMillis());
    }
    advance(123 + 1_000); // idle: a second past the pace's due
    assertEquals(0, paced.tryAcquire("a").waitMillis());
    assertEquals(MARGIN + 123, paced.tryAcquire("a").waitMillis(), "the first call after idling may be slow");
  }

  @Test
  void should_keep_a_steady_pace_when_the_bucket_drains_faster_than_the_pace() {
    // 10 a second drained, 10 a second paced (110 ms apart): the bucket empties between calls, yet the stream is one.
    LocalBucket bucket = new LocalBucket(RateBudget.of(RateTestSupport.paced(40, 10, Duration.ofSeconds(10), 200,
        10, 0)), nanos::get);
    assertEquals(0, bucket.tryAcquire("a").waitMillis());
    advance(MARGIN + 110);
    for (int i = 0; i < 20; i++) {
      assertEquals(0, bucket.tryAcquire("a").waitMillis(), "call " + i);
      assertEquals(110, bucket.tryAcquire("a").waitMillis(), "call " + i + ": the pace alone, no margin again");
      advance(110);
    }
  }

  @Test
  void should_keep_a_burst_at_once_when_the_bucket_cannot_reach_the_cap() {
    // 40 calls, and 2 a second after them, never make 100 within a second: no margin, only the (tiny) pace.
    LocalBucket fast = new LocalBucket(RateBudget.of(RateTestSupport.paced(40, 2, Duration.ofSeconds(10), 200,
        1_100, 0)), nanos::get);
    assertEquals(0, fast.tryAcquire("a").waitMillis());
    assertEquals(1, fast.tryAcquire("a").waitMillis(), "1 ms apart, not the margin");
  }

  @Test
  void should_record_nothing_when_the_pacing_refuses() {
    LocalBucket paced = paced(0);
    assertEquals(0, paced.tryAcquire("a").waitMillis());
    for (int i = 0; i < 100; i++) {
      assertEquals(MARGIN + 123, paced.tryAcquire("a").waitMillis(), "refusals do not push the pace");
    }
    assertEquals(1.0, paced.peek("a").level(), 1e-9, "refusals take nothing from the bucket");
  }

  @Test
  void should_never_grant_more_than_max_per_second_when_a_mall_asks_every_millisecond() {
    LocalBucket paced = paced(0);
    List<Long> grants = new ArrayList<>();
    for (long ms = 0; ms < 20_000; ms++) {
      if (paced.tryAcquire("a").isGrant()) {
        grants.add(TimeUnit.MILLISECONDS.toNanos(ms));
      }
      advance(1);
    }
    assertEquals(9, RateTestSupport.maxInAnySecond(grants), "the bucket's 40 paced at 9 a second, never more");
    // Then the drain's 2 a second, from 250 ms after the first grant: 40 + 2 × 19.75 within the 20 s.
    assertEquals(79, grants.size(), "the sustained rate is still the drain's");
  }

  @Test
  void should_take_the_later_wait_when_the_bucket_and_the_pacing_both_refuse() {
    LocalBucket bucket = new LocalBucket(new RateBudget(1, 100, 10_000, 200, 500, 0, 0), nanos::get);
    assertEquals(0, bucket.tryAcquire("a").waitMillis());
    assertEquals(500, bucket.tryAcquire("a").waitMillis(), "the pacing (500) is later than the bucket (350)");
    LocalBucket slowBucket = new LocalBucket(new RateBudget(1, 100, 10_000, 200, 50, 0, 0), nanos::get);
    assertEquals(0, slowBucket.tryAcquire("a").waitMillis());
    assertEquals(100 + MARGIN, slowBucket.tryAcquire("a").waitMillis(), "the bucket (350) is later than the pacing");
  }

  @Test
  void should_report_the_calls_the_bucket_still_takes_when_deciding() {
    LocalBucket paced = paced(0);
    assertEquals(39, paced.tryAcquire("a").room(), "after the first grant");
    assertEquals(39, paced.tryAcquire("a").room(), "refused by the pacing: as it was");
    assertEquals(40, grantsInARow("b"));
    assertEquals(0, bucket.tryAcquire("b").room(), "refused by the full bucket");
    bucket.learn("c", new UpstreamSignal(1_000, -1));
    assertEquals(-1, bucket.tryAcquire("c").room(), "paused: unknown");
  }

  @Test
  void should_space_every_malls_grants_together_when_the_egress_cap_is_on() {
    LocalBucket capped = paced(5); // 220 ms apart, all malls together
    assertEquals(0, capped.tryAcquire("a").waitMillis());
    assertEquals(220, capped.tryAcquire("b").waitMillis(), "another mall waits for the deployment's next slot");
    advance(220);
    assertEquals(0, capped.tryAcquire("b").waitMillis());
    long wait = capped.tryAcquire("a").waitMillis();
    assertEquals(220, wait, "the deployment's cap (220 ms) is later than a's own pace (372 ms from 220 ms ago)");
  }

  @Test
  void should_estimate_calls_paced_while_the_bucket_has_room_and_drained_once_it_is_full() {
    assertEquals(1223, paced(0).estimateMillis("a", 10), "10 calls into an empty bucket: 10 pace intervals");
    assertEquals(40, grantsInARow("b"));
    assertEquals(2_000, bucket.estimateMillis("b", 4), "a full bucket: one drain interval each");
    bucket.learn("b", new UpstreamSignal(3_000, -1));
    assertEquals(5_000, bucket.estimateMillis("b", 4), "Cafe24's pause comes first");
  }

  @Test
  void should_forget_idle_malls_when_many_have_been_seen() {
    for (int i = 0; i < 5_000; i++) {
      assertEquals(0, waitFor("mall-" + i));
    }
    advance(1_000); // every one of them has drained
    for (int i = 0; i < 1_024; i++) {
      bucket.recordGrant("busy");
    }
    assertEquals(1, bucket.trackedMalls(), "only the busy mall is left");
  }
}
