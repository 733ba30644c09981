package io.mallgate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Cafe24's per-mall leaky bucket: each admitted call adds one to the mall's level, the level drains continuously at
 * {@code leakPerSecond} (fractions included, measured on the clock), and a call that would lift the level above
 * {@code capacity} is refused and adds nothing.
 *
 * <p>Thread-safety: {@code synchronized}; one instance serves every mall.
 */
final class LeakyBucket {

  /**
   * The answer for one call.
   *
   * @param admitted whether the call fits
   * @param used the level after the call, rounded up, as {@code X-Api-Call-Limit} reports it
   * @param capacity the bucket's capacity
   */
  record Admission(boolean admitted, int used, int capacity) {

    /** The {@code X-Api-Call-Limit} value, {@code used/capacity}. */
    String header() {
      return used + "/" + capacity;
    }
  }

  private static final class Level {
    double calls;
    Instant at;

    Level(Instant at) {
      this.at = at;
    }
  }

  private final Map<String, Level> levels = new HashMap<>();
  private final int capacity;
  private final double leakPerSecond;
  private final Clock clock;

  LeakyBucket(int capacity, double leakPerSecond, Clock clock) {
    this.capacity = capacity;
    this.leakPerSecond = leakPerSecond;
    this.clock = clock;
  }

  /** Admits one call for {@code mall} if it fits. */
  synchronized Admission tryAcquire(String mall) {
    Level level = drained(mall);
    if (level.calls + 1 > capacity) {
      return new Admission(false, used(level), capacity);
    }
    level.calls += 1;
    return new Admission(true, used(level), capacity);
  }

  /** The mall's current level without adding a call: what a refused (401) or unmetered call reports. */
  synchronized Admission peek(String mall) {
    return new Admission(true, used(drained(mall)), capacity);
  }

  private Level drained(String mall) {
    Instant now = clock.instant();
    Level level = levels.computeIfAbsent(mall, m -> new Level(now));
    if (now.isAfter(level.at)) {
      double seconds = Duration.between(level.at, now).toNanos() / 1e9;
      level.calls = Math.max(0, level.calls - seconds * leakPerSecond);
      level.at = now;
    }
    return level;
  }

  private static int used(Level level) {
    return (int) Math.ceil(level.calls);
  }
}
