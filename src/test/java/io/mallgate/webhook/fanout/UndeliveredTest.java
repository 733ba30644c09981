package io.mallgate.webhook.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a delivery loop reports as its lag: the age of the oldest event it has yet to deliver. */
class UndeliveredTest {

  private static final long NOW = 1_700_000_100_000L;

  private final FanoutCounters counters = new FanoutCounters(List.of("orders"),
      Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), DeliveryListener.NONE);
  private final Undelivered undelivered = new Undelivered(counters, "orders");

  @Test
  void should_report_the_oldest_by_time_then_sequence_when_events_are_pending() {
    undelivered.pending((NOW - 5_000) + "-10", NOW);
    undelivered.pending((NOW - 5_000) + "-9", NOW);
    undelivered.pending((NOW - 2_000) + "-0", NOW);
    assertEquals(5.0, counters.lagSeconds("orders"));

    undelivered.done((NOW - 5_000) + "-9");
    assertEquals(5.0, counters.lagSeconds("orders"), "-10 is still there");
    undelivered.done((NOW - 5_000) + "-10");
    assertEquals(2.0, counters.lagSeconds("orders"));
    undelivered.done((NOW - 2_000) + "-0");
    assertEquals(0.0, counters.lagSeconds("orders"), "caught up");
  }

  @Test
  void should_let_go_of_events_not_seen_lately_when_told_to_forget() {
    undelivered.pending((NOW - 9_000) + "-0", NOW - 8_000);
    undelivered.pending((NOW - 3_000) + "-0", NOW - 1_000);
    undelivered.forgetSeenBefore(NOW - 5_000);
    assertEquals(3.0, counters.lagSeconds("orders"));
    undelivered.clear();
    assertEquals(0.0, counters.lagSeconds("orders"));
  }

  @Test
  void should_keep_the_oldest_when_more_than_the_bound_are_pending() {
    for (int i = 0; i <= Undelivered.MAX + 10; i++) {
      undelivered.pending((NOW - 60_000 + i) + "-0", NOW);
    }
    assertEquals(60.0, counters.lagSeconds("orders"));
  }

  @Test
  void should_ignore_ids_of_another_form_and_never_report_below_0_when_clocks_differ() {
    undelivered.pending("not-an-id", NOW);
    undelivered.pending("legacy", NOW);
    assertEquals(0.0, counters.lagSeconds("orders"));
    undelivered.pending((NOW + 3_000) + "-0", NOW);
    assertEquals(0.0, counters.lagSeconds("orders"), "recorded by a clock ahead of this one");
  }
}
