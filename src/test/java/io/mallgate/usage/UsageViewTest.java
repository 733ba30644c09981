package io.mallgate.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin view's list: busiest first, at most maxApps named apps, the rest summed as other. */
class UsageViewTest {

  private static final Instant FROM = Instant.parse("2025-06-01T00:00:00Z");

  @Test
  void should_sort_by_cafe24_calls_then_calls_and_fold_the_quietest_named_apps_into_other_when_over_max_apps() {
    Map<String, AppCounts> totals = Map.of(
        "orders", new AppCounts(10, 12, 2),
        "billing", new AppCounts(30, 30, 0),
        "reports", new AppCounts(5, 5, 0),
        "exports", new AppCounts(1, 1, 1),
        "other", new AppCounts(2, 2, 0), // folded on some instance already
        "-", new AppCounts(7, 3, 0));

    UsageView view = UsageView.of("shop", "cluster", FROM, FROM.plusSeconds(3600), 2, totals);

    assertEquals(List.of(
        new UsageView.App("billing", new AppCounts(30, 30, 0)),
        new UsageView.App("orders", new AppCounts(10, 12, 2)),
        new UsageView.App("other", new AppCounts(8, 8, 1)),
        new UsageView.App("-", new AppCounts(7, 3, 0))), view.apps());
  }

  @Test
  void should_show_no_other_when_every_app_fits() {
    UsageView view = UsageView.of("shop", "instance", FROM, FROM, 5, Map.of("a", new AppCounts(1, 1, 0)));
    assertEquals(List.of(new UsageView.App("a", new AppCounts(1, 1, 0))), view.apps());
  }
}
