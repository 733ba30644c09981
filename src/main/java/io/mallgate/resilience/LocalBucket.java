package io.mallgate.resilience;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The per-mall leaky bucket in memory, with the semantics of {@code rate-acquire.lua} and {@code rate-observe.lua}:
 * GCRA on a monotonic clock, each busy period draining from {@link RateBudget#SAFETY_MARGIN_MILLIS} after its first
 * grant, a pause that only ever extends, a level that Cafe24's count only ever raises. It serves the embedded
 * (single-instance) mode, and the Redis mode while Redis is unreachable.
 *
 * <p>Thread-safe ({@code synchronized}; every operation is a few arithmetic steps). Malls whose bucket has drained
 * and whose pause is over are forgotten now and then, so the map stays as small as the set of busy malls.
 */
final class LocalBucket {

  private static final int SWEEP_EVERY = 1024;

  /** One mall, in ms on {@link #now()}'s scale, as the scripts keep it. */
  private static final class State {
    // nanoTime's origin is arbitrary (it may be negative), so "long ago" is minus infinity, never 0.
    /** When the bucket is empty again. */
    double tat = Double.NEGATIVE_INFINITY;
    /** When the current busy period starts to drain. */
    double from = Double.NEGATIVE_INFINITY;
    /** When Cafe24's pause ends. */
    double pausedUntil = Double.NEGATIVE_INFINITY;
  }

  private final Map<String, State> malls = new HashMap<>();
  /** Read per operation: a reload may change the capacity and drain rate; the state (in ms) stays valid. */
  private final Supplier<RateBudget> budget;
  private final LongSupplier nanoClock;
  private int untilSweep = SWEEP_EVERY;

  LocalBucket(Supplier<RateBudget> budget) {
    this(budget, System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests move it by hand) */
  LocalBucket(RateBudget budget, LongSupplier nanoClock) {
    this(() -> budget, nanoClock);
  }

  /** @param budget read at each operation, so a reload applies at once */
  LocalBucket(Supplier<RateBudget> budget, LongSupplier nanoClock) {
    this.budget = budget;
    this.nanoClock = nanoClock;
  }

  /**
   * Takes a slot for the mall if one is free.
   *
   * @return 0 when the slot is granted (and recorded), else the wait in ms (at least 1) before asking again; nothing
   *         is recorded then
   */
  synchronized long tryAcquire(String mall) {
    double now = now();
    State state = state(mall, now);
    if (state.pausedUntil > now) {
      return (long) Math.ceil(state.pausedUntil - now);
    }
    startIfEmpty(state, now, RateBudget.SAFETY_MARGIN_MILLIS);
    RateBudget current = budget.get();
    double burst = (current.capacity() - 1) * current.intervalMillis();
    if (state.tat - Math.max(now, state.from) > burst) {
      return Math.max(1, (long) Math.ceil(state.tat - burst - now));
    }
    state.tat += current.intervalMillis();
    return 0;
  }

  /** Counts a call granted elsewhere (by the shared model), so this bucket stays warm for when it must stand in. */
  synchronized void recordGrant(String mall) {
    double now = now();
    State state = state(mall, now);
    startIfEmpty(state, now, RateBudget.SAFETY_MARGIN_MILLIS);
    state.tat += budget.get().intervalMillis();
  }

  /** Applies what Cafe24 reported: extends the pause, raises the level when Cafe24 counts a whole call more. */
  synchronized void learn(String mall, UpstreamSignal signal) {
    double now = now();
    State state = state(mall, now);
    if (signal.pauseMillis() > 0) {
      state.pausedUntil = Math.max(state.pausedUntil, now + signal.pauseMillis());
    }
    startIfEmpty(state, now, 0);
    double start = Math.max(now, state.from);
    double interval = budget.get().intervalMillis();
    if (signal.used() > Math.ceil((state.tat - start) / interval - 1e-6)) {
      state.tat = start + signal.used() * interval;
    }
  }

  private static void startIfEmpty(State state, double now, long margin) {
    if (state.tat <= now) {
      state.from = now + margin;
      state.tat = state.from;
    }
  }

  /** The mall's level and pause now, without recording anything (nor remembering an unknown mall). */
  synchronized RateState.Bucket peek(String mall) {
    State state = malls.get(mall);
    if (state == null) {
      return RateState.Bucket.EMPTY;
    }
    double now = now();
    double level = Math.max(0, (state.tat - Math.max(now, state.from)) / budget.get().intervalMillis());
    long paused = (long) Math.max(0, Math.ceil(state.pausedUntil - now));
    return new RateState.Bucket(level, paused);
  }

  /** How many malls the bucket holds state for (idle ones are swept out now and then). */
  synchronized int trackedMalls() {
    return malls.size();
  }

  private State state(String mall, double now) {
    if (--untilSweep <= 0) {
      untilSweep = SWEEP_EVERY;
      malls.values().removeIf(state -> state.tat <= now && state.pausedUntil <= now);
    }
    return malls.computeIfAbsent(mall, m -> new State());
  }

  private double now() {
    return nanoClock.getAsLong() / 1_000_000.0;
  }
}
