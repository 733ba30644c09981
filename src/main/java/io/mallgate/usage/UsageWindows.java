package io.mallgate.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every mall's {@link MallWindow} on this instance: the last {@link #MINUTES} minutes of each mall that had a call in
 * them. Memory is bounded three ways: {@code maxApps} named apps per mall, {@link #MALLS} malls at most (a mall beyond
 * is not counted until others age out), and a mall whose last call is older than the window is dropped by
 * {@link #expire}.
 *
 * <p>Thread-safe. Adding a call locks its mall's map bin and its window briefly; distinct malls never contend.
 */
final class UsageWindows {

  /** The window: this many one-minute buckets, the current one included. */
  static final int MINUTES = 60;
  /** Malls tracked at most: a bound against callers that spray mall ids. */
  static final int MALLS = 50_000;

  private final ConcurrentHashMap<String, MallWindow> malls = new ConcurrentHashMap<>();
  private final int maxApps;
  private final int maxMalls;

  /** @param maxApps named apps kept per mall ({@code metrics.maxApps}) */
  UsageWindows(int maxApps) {
    this(maxApps, MALLS);
  }

  UsageWindows(int maxApps, int maxMalls) {
    this.maxApps = maxApps;
    this.maxMalls = maxMalls;
  }

  /**
   * Counts one call of {@code app} to {@code mall} in {@code minute} (minutes since the epoch).
   *
   * @return false when the mall was not counted: {@link #MALLS} others are tracked already
   */
  boolean add(String mall, long minute, String app, long cafe24Calls, long cafe24Throttled) {
    if (malls.size() >= maxMalls && !malls.containsKey(mall)) {
      return false;
    }
    // compute, not get-then-add: expire() removes an empty window under the same bin lock, so no call is counted in
    // a window already dropped.
    malls.compute(mall, (id, window) -> {
      MallWindow counted = window == null ? new MallWindow() : window;
      counted.add(minute, app, maxApps, 1, cafe24Calls, cafe24Throttled);
      return counted;
    });
    return true;
  }

  /** The mall's sums per app over the window that ends with {@code minute}; empty when it had no call. */
  Map<String, AppCounts> totals(String mall, long minute) {
    MallWindow window = malls.get(mall);
    return window == null ? Map.of() : window.totals(oldest(minute));
  }

  /** The malls with minutes not shared yet. */
  List<String> dirtyMalls() {
    List<String> dirty = new ArrayList<>();
    malls.forEach((mall, window) -> {
      if (window.dirty()) {
        dirty.add(mall);
      }
    });
    return dirty;
  }

  /** The mall's minutes not shared yet, now taken ({@link MallWindow#takeDirty}). */
  List<MinuteCounts> takeDirty(String mall) {
    MallWindow window = malls.get(mall);
    return window == null ? List.of() : window.takeDirty();
  }

  /** A minute taken but not shared: taken again next time. */
  void redirty(String mall, long minute) {
    MallWindow window = malls.get(mall);
    if (window != null) {
      window.redirty(minute);
    }
  }

  /** Drops every minute older than the window that ends with {@code minute}, and the malls left with none. */
  void expire(long minute) {
    long oldest = oldest(minute);
    for (String mall : malls.keySet()) {
      malls.computeIfPresent(mall, (id, window) -> window.expire(oldest) ? null : window);
    }
  }

  /** Malls tracked now. */
  int size() {
    return malls.size();
  }

  /** The first minute of the window that ends with {@code minute}. */
  static long oldest(long minute) {
    return minute - MINUTES + 1;
  }
}
