package io.mallgate.usage;

import io.mallgate.edge.AppNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mall's counts per app, one bucket per minute with traffic (oldest first), as this instance saw them. Holds at
 * most {@code maxApps} named apps over its minutes: a further name is counted as {@link AppNames#OTHER} until a minute
 * that held a named app ages out. {@code -} and {@code other} take no place. Each minute knows whether it changed
 * since it was last taken for sharing ({@link #takeDirty}).
 *
 * <p>Thread-safe: every method holds the window's lock, for a few map steps.
 */
final class MallWindow {

  private final ArrayDeque<Minute> minutes = new ArrayDeque<>();
  private final Set<String> named = new HashSet<>();

  /** Counts one call of {@code app} in {@code minute} (a clock that went back counts in the newest minute). */
  synchronized void add(long minute, String app, int maxApps, long calls, long cafe24Calls, long cafe24Throttled) {
    Minute current = minutes.peekLast();
    if (current == null || current.index < minute) {
      current = new Minute(minute);
      minutes.addLast(current);
    }
    long[] counts = current.apps.computeIfAbsent(counted(app, maxApps), name -> new long[3]);
    counts[0] += calls;
    counts[1] += cafe24Calls;
    counts[2] += cafe24Throttled;
    current.dirty = true;
  }

  /** The sums per app over the minutes from {@code fromMinute} on. */
  synchronized Map<String, AppCounts> totals(long fromMinute) {
    Map<String, AppCounts> totals = new HashMap<>();
    for (Minute minute : minutes) {
      if (minute.index >= fromMinute) {
        minute.apps.forEach((app, counts) -> totals.merge(app, counts(counts), AppCounts::plus));
      }
    }
    return totals;
  }

  /** Copies of the minutes that changed since last taken, oldest first; they count as unchanged from now on. */
  synchronized List<MinuteCounts> takeDirty() {
    List<MinuteCounts> dirty = new ArrayList<>(1);
    for (Minute minute : minutes) {
      if (minute.dirty) {
        minute.dirty = false;
        Map<String, AppCounts> apps = new HashMap<>(minute.apps.size() * 2);
        minute.apps.forEach((app, counts) -> apps.put(app, counts(counts)));
        dirty.add(new MinuteCounts(minute.index, apps));
      }
    }
    return dirty;
  }

  /** Whether some minute changed since it was last taken. */
  synchronized boolean dirty() {
    for (Minute minute : minutes) {
      if (minute.dirty) {
        return true;
      }
    }
    return false;
  }

  /** A minute taken but not shared (Redis failed): it is taken again next time, if still in the window. */
  synchronized void redirty(long index) {
    for (Minute minute : minutes) {
      if (minute.index == index) {
        minute.dirty = true;
      }
    }
  }

  /** Drops the minutes before {@code oldestMinute}; true when none is left (the mall had no call in the window). */
  synchronized boolean expire(long oldestMinute) {
    boolean dropped = false;
    while (!minutes.isEmpty() && minutes.peekFirst().index < oldestMinute) {
      minutes.removeFirst();
      dropped = true;
    }
    if (dropped) {
      named.clear();
      for (Minute minute : minutes) {
        minute.apps.keySet().forEach(this::remember);
      }
    }
    return minutes.isEmpty();
  }

  private String counted(String app, int maxApps) {
    if (AppNames.NONE.equals(app) || AppNames.OTHER.equals(app) || named.contains(app)) {
      return app;
    }
    if (named.size() >= maxApps) {
      return AppNames.OTHER;
    }
    named.add(app);
    return app;
  }

  private void remember(String app) {
    if (!AppNames.NONE.equals(app) && !AppNames.OTHER.equals(app)) {
      named.add(app);
    }
  }

  private static AppCounts counts(long[] counts) {
    return new AppCounts(counts[0], counts[1], counts[2]);
  }

  /** One minute's counts: app to {calls, Cafe24 calls, Cafe24 429s}. */
  private static final class Minute {
    final long index;
    final Map<String, long[]> apps = new HashMap<>(4);
    boolean dirty;

    Minute(long index) {
      this.index = index;
    }
  }
}
