package io.mallgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentErrorsTest {

  private static RecentErrors.Entry entry(int n) {
    return new RecentErrors.Entry(Instant.ofEpochSecond(n), 502, "upstream_unreachable", "GET", "/p/" + n, "r" + n);
  }

  @Test
  void should_keep_the_last_entries_when_a_mall_errs_more_than_the_ring_holds() {
    RecentErrors errors = new RecentErrors(Clock.systemUTC());
    for (int i = 0; i < RecentErrors.PER_MALL + 5; i++) {
      errors.record("m1", entry(i));
    }
    assertEquals(RecentErrors.PER_MALL, errors.of("m1").size());
    assertEquals("/p/" + (RecentErrors.PER_MALL + 4), errors.of("m1").getJsonObject(0).getString("path"));
  }

  @Test
  void should_forget_the_least_recent_mall_when_too_many_malls_err() {
    RecentErrors errors = new RecentErrors(Clock.systemUTC());
    for (int i = 0; i < RecentErrors.MALLS + 10; i++) {
      errors.record("mall" + i, entry(i));
    }
    assertEquals(RecentErrors.MALLS, errors.trackedMalls());
    assertEquals(0, errors.of("mall0").size());
    assertEquals(1, errors.of("mall" + (RecentErrors.MALLS + 9)).size());
  }
}
