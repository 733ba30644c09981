package io.mallgate.usage;

import io.mallgate.edge.AppNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which apps called one mall over the last hour, and what they spent of its Cafe24 budget: the admin API's answer.
 *
 * @param mall    the mall
 * @param scope   {@code cluster} (every instance's counts, from Redis) or {@code instance} (this instance's: the
 *                embedded store, or Redis out of reach)
 * @param from    the start of the window's first minute
 * @param to      when the view was made
 * @param maxApps named apps shown at most ({@code metrics.maxApps})
 * @param apps    busiest first (most Cafe24 calls, then most calls, then by name); the named apps beyond
 *                {@code maxApps} summed as {@code other}, calls without a name as {@code -}
 */
public record UsageView(String mall, String scope, Instant from, Instant to, int maxApps, List<App> apps) {

  /** The window's length: one-minute buckets, the current one included. */
  public static final int MINUTES = UsageWindows.MINUTES;

  private static final Comparator<App> BUSIEST = Comparator
      .comparingLong((App app) -> app.counts().cafe24Calls()).reversed()
      .thenComparing(Comparator.comparingLong((App app) -> app.counts().calls()).reversed())
      .thenComparing(App::app);

  /** One app's counts. */
  public record App(String app, AppCounts counts) {
  }

  /** The view of {@code totals}, the busiest {@code maxApps} named apps kept and the rest summed as {@code other}. */
  static UsageView of(String mall, String scope, Instant from, Instant to, int maxApps,
      Map<String, AppCounts> totals) {
    List<App> sorted = new ArrayList<>(totals.size());
    totals.forEach((app, counts) -> sorted.add(new App(app, counts)));
    sorted.sort(BUSIEST);
    List<App> shown = new ArrayList<>(Math.min(sorted.size(), maxApps + 2));
    AppCounts other = AppCounts.ZERO;
    boolean folded = false;
    int named = 0;
    for (App app : sorted) {
      boolean isNamed = !AppNames.NONE.equals(app.app()) && !AppNames.OTHER.equals(app.app());
      if (isNamed && named < maxApps) {
        named++;
        shown.add(app);
      } else if (isNamed || AppNames.OTHER.equals(app.app())) {
        other = other.plus(app.counts());
        folded = true;
      } else {
        shown.add(app);
      }
    }
    if (folded) {
      shown.add(new App(AppNames.OTHER, other));
      shown.sort(BUSIEST);
    }
    return new UsageView(mall, scope, from, to, maxApps, List.copyOf(shown));
  }
}
