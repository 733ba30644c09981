package io.mallgate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One instance's counts: per mall and app, over a sliding hour of minutes, with bounded memory. */
class UsageWindowsTest {

  private static final long T = 29_000_000; // a minute since the epoch (2025)

  @Test
  void should_sum_calls_cafe24_calls_and_429s_per_app_when_calls_fall_in_several_minutes() {
    UsageWindows windows = new UsageWindows(10);
    windows.add("shop", T, "orders", 1, 0);
    windows.add("shop", T + 1, "orders", 3, 1); // a 429, retried twice
    windows.add("shop", T + 1, "-", 1, 0);
    windows.add("other-shop", T + 1, "billing", 1, 0);

    assertEquals(Map.of("orders", new AppCounts(2, 4, 1), "-", new AppCounts(1, 1, 0)), windows.totals("shop", T + 1));
    assertEquals(Map.of(), windows.totals("unknown", T + 1));
  }

  @Test
  void should_leave_out_minutes_older_than_an_hour_and_drop_malls_without_calls_when_the_window_slides() {
    UsageWindows windows = new UsageWindows(10);
    windows.add("quiet", T, "orders", 1, 0);
    windows.add("busy", T, "orders", 1, 0);
    windows.add("busy", T + 59, "orders", 1, 0);

    assertEquals(new AppCounts(2, 2, 0), windows.totals("busy", T + 59).get("orders"), "60 minutes: both");
    assertEquals(new AppCounts(1, 1, 0), windows.totals("busy", T + 60).get("orders"), "the first has left");
    windows.expire(T + 60);
    assertEquals(1, windows.size(), "the mall without a call in the last hour is gone");
    assertEquals(Map.of(), windows.totals("quiet", T + 60));
  }

  @Test
  void should_count_apps_beyond_max_apps_as_other_per_mall_until_a_named_one_ages_out() {
    UsageWindows windows = new UsageWindows(2);
    windows.add("shop", T, "a", 0, 0);
    windows.add("shop", T + 30, "b", 0, 0);
    windows.add("shop", T + 30, "c", 0, 0);
    windows.add("shop", T + 30, "-", 0, 0);
    windows.add("second", T + 30, "c", 0, 0);

    assertEquals(Map.of("a", new AppCounts(1, 0, 0), "b", new AppCounts(1, 0, 0), "other", new AppCounts(1, 0, 0),
        "-", new AppCounts(1, 0, 0)), windows.totals("shop", T + 30));
    assertEquals(Map.of("c", new AppCounts(1, 0, 0)), windows.totals("second", T + 30), "the bound is per mall");

    windows.expire(T + 60); // "a" was last seen more than an hour ago: its place is free
    windows.add("shop", T + 60, "c", 0, 0);
    assertEquals(new AppCounts(1, 0, 0), windows.totals("shop", T + 60).get("c"));
  }

  @Test
  void should_refuse_a_new_mall_when_max_malls_are_tracked() {
    UsageWindows windows = new UsageWindows(10, 2);
    assertTrue(windows.add("one", T, "a", 0, 0));
    assertTrue(windows.add("two", T, "a", 0, 0));
    assertFalse(windows.add("three", T, "a", 0, 0));
    assertTrue(windows.add("one", T, "a", 0, 0), "a tracked mall is still counted");
    assertEquals(2, windows.size());
  }

  @Test
  void should_hand_out_changed_minutes_once_and_again_when_writing_them_failed() {
    UsageWindows windows = new UsageWindows(10);
    windows.add("shop", T, "a", 1, 0);
    windows.add("shop", T + 1, "a", 1, 0);

    assertEquals(List.of("shop"), windows.dirtyMalls());
    List<MinuteCounts> taken = windows.takeDirty("shop");
    assertEquals(List.of(new MinuteCounts(T, Map.of("a", new AppCounts(1, 1, 0))),
        new MinuteCounts(T + 1, Map.of("a", new AppCounts(1, 1, 0)))), taken);
    assertEquals(List.of(), windows.dirtyMalls());

    windows.redirty("shop", T + 1);
    windows.add("shop", T + 1, "a", 0, 0);
    assertEquals(List.of(new MinuteCounts(T + 1, Map.of("a", new AppCounts(2, 1, 0)))), windows.takeDirty("shop"),
        "the whole minute as it is now: writes carry counts, not increments");
  }
}
