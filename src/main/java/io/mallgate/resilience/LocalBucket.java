package io.mallgate.resilience;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The per-mall leaky bucket in memory, with the semantics of {@code rate-acquire.lua}, {@code rate-egress.lua} and
 * {@code rate-observe.lua}: GCRA on a monotonic clock, each busy period draining from
 * {@link RateBudget#SAFETY_MARGIN_MILLIS} after its first grant, each mall's grants at least
 * {@link RateBudget#paceMillis} apart, the deployment's at least {@link RateBudget#egressMillis} apart (here: this
 * instance's), a pause that only ever extends, a level that Cafe24's count only ever raises. A slot is granted only
 * when the bucket, the pacing and the egress cap all allow it, and then all three record it. It serves the embedded
 * (single-instance) mode, and the Redis mode while Redis is unreachable.
 *
 * <p>Thread-safe ({@code synchronized}; every operation is a few arithmetic steps). Malls whose bucket has drained
 * and whose pause is over are forgotten now and then, so the map stays as small as the set of busy malls.
 */
final class LocalBucket {

  private static final int SWEEP_EVERY = 1024;
  // nanoTime's origin is arbitrary (it may be negative), so "long ago" is minus infinity, never 0.
  private static final double LONG_AGO = Double.NEGATIVE_INFINITY;

  /** One mall, in ms on {@link #now()}'s scale, as the scripts keep it. */
  private static final class State {
    /** When the bucket is empty again. */
    double tat = LONG_AGO;
    /** When the current busy period starts to drain. */
    double from = LONG_AGO;
    /** When the mall's next call may go (pacing); a second later, the mall is idle. */
    double due = LONG_AGO;
    /** When Cafe24's pause ends. */
    double pausedUntil = LONG_AGO;
  }

  private final Map<String, State> malls = new HashMap<>();
  /** Read per operation: a reload may change the capacity and drain rate; the state (in ms) stays valid. */
  private final Supplier<RateBudget> budget;
  private final LongSupplier nanoClock;
  /** When the deployment's next call may go ({@code rateLimit.egressPerSecond}), for this instance alone. */
  private double egressDue = LONG_AGO;
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
   * Takes a slot for the mall if the bucket, the mall's pacing and the deployment's cap all have one.
   *
   * @return a grant (recorded), or the wait in ms (at least 1) before asking again, nothing recorded then; with the
   *         calls the bucket would still take, pacing aside (-1 while paused)
   */
  synchronized MallQueues.Decision tryAcquire(String mall) {
    double now = now();
    State state = state(mall, now);
    if (state.pausedUntil > now) {
      return MallQueues.Decision.waitFor((long) Math.ceil(state.pausedUntil - now), -1);
    }
    RateBudget current = budget.get();
    Busy busy = Busy.of(state, now);
    double wait = Math.max(busy.bucketWait(current, now), Math.max(state.due - now, egressDue - now));
    if (wait > 0) {
      return MallQueues.Decision.waitFor(Math.max(1, (long) Math.ceil(wait)), busy.room(current, 0));
    }
    record(state, busy, current, now);
    return MallQueues.Decision.granted(busy.room(current, 1));
  }

  /** Counts a call granted elsewhere (by the shared model), so this bucket stays warm for when it must stand in. */
  synchronized void recordGrant(String mall) {
    double now = now();
    State state = state(mall, now);
    record(state, Busy.of(state, now), budget.get(), now);
  }

  private void record(State state, Busy busy, RateBudget current, double now) {
    state.from = busy.from();
    state.tat = busy.tat() + current.intervalMillis();
    boolean idle = state.due + RateBudget.PACE_IDLE_MILLIS <= now;
    state.due = now + current.paceMillis() + (idle ? current.paceMarginMillis() : 0);
    egressDue = now + current.egressMillis();
  }

  /**
   * The bucket as a decision sees it: a bucket that has drained empty starts a busy period now, draining from
   * {@code margin} later. Not written back unless a call is granted (a refusal records nothing).
   */
  private record Busy(double tat, double from, double start) {

    static Busy of(State state, double now) {
      if (state.tat <= now) {
        double from = now + RateBudget.SAFETY_MARGIN_MILLIS;
        return new Busy(from, from, from);
      }
      return new Busy(state.tat, state.from, Math.max(now, state.from));
    }

    double bucketWait(RateBudget budget, double now) {
      double burst = (budget.capacity() - 1) * budget.intervalMillis();
      return tat - start > burst ? tat - burst - now : 0;
    }

    /** Calls the bucket would take now, after {@code taken} more are recorded. */
    int room(RateBudget budget, int taken) {
      double burst = (budget.capacity() - 1) * budget.intervalMillis();
      double level = tat + taken * budget.intervalMillis() - start;
      return (int) Math.max(0, Math.floor((burst - level) / budget.intervalMillis() + 1e-9) + 1);
    }
  }

  /** Applies what Cafe24 reported: extends the pause, raises the level when Cafe24 counts a whole call more. */
  synchronized void learn(String mall, UpstreamSignal signal) {
    double now = now();
    State state = state(mall, now);
    if (signal.pauseMillis() > 0) {
      state.pausedUntil = Math.max(state.pausedUntil, now + signal.pauseMillis());
    }
    if (state.tat <= now) {
      state.from = now;
      state.tat = now;
    }
    double start = Math.max(now, state.from);
    double interval = budget.get().intervalMillis();
    if (signal.used() > Math.ceil((state.tat - start) / interval - 1e-6)) {
      state.tat = start + signal.used() * interval;
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

  /**
   * Milliseconds, rounded up, until {@code calls} more calls of the mall could go by this model: Cafe24's pause, then
   * paced while the bucket has room, then one per drain interval. Records nothing.
   */
  synchronized long estimateMillis(String mall, int calls) {
    RateState.Bucket now = peek(mall);
    RateBudget current = budget.get();
    int room = (int) Math.max(0, Math.floor(current.capacity() - now.level() + 1e-9));
    return now.pausedForMillis() + current.spacingMillis(calls, room);
  }

  /** How many malls the bucket holds state for (idle ones are swept out now and then). */
  synchronized int trackedMalls() {
    return malls.size();
  }

  private State state(String mall, double now) {
    if (--untilSweep <= 0) {
      untilSweep = SWEEP_EVERY;
      malls.values().removeIf(state -> state.tat <= now && state.due + RateBudget.PACE_IDLE_MILLIS <= now
          && state.pausedUntil <= now);
    }
    return malls.computeIfAbsent(mall, m -> new State());
  }

  private double now() {
    return nanoClock.getAsLong() / 1_000_000.0;
  }
}
