package io.mallgate.refresh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The shape of one interleaving run, drawn from its seed: the lock lease (short, so that leases really run out), the
 * token-endpoint deadline (always under half the lease, as the protocol demands), how tokens are sealed at rest, how
 * the instances pause, how many rounds of how many calls, how many faults per round, and in which rounds an instance
 * is stopped.
 *
 * @param leaseMillis    the refresh lock's lease, 400 to 1,500 ms
 * @param deadlineMillis the token-endpoint deadline, 15 % to 45 % of the lease
 * @param sealed         tokens sealed with AES-256-GCM at rest, else plain JSON
 * @param pauses         how every instance of the run pauses
 * @param rounds         rounds of concurrent calls
 * @param maxCalls       most calls in one round
 * @param staggerMillis  calls of a round start within this many ms of each other
 * @param maxFaults      most token-endpoint faults programmed per round
 * @param stopRounds     the rounds in which an instance is stopped (one entry per stop)
 * @param restartChance  probability, per round, that a fresh instance replaces a stopped one
 */
record RunPlan(long leaseMillis, long deadlineMillis, boolean sealed, Pauses.Profile pauses, int rounds,
    int maxCalls, int staggerMillis, int maxFaults, List<Integer> stopRounds, double restartChance) {

  private static final int[] PAUSE_CEILINGS = {5, 20, 60, 150};

  static RunPlan draw(Random random) {
    long lease = 400 + random.nextInt(1_101);
    long deadline = Math.max(40, (long) (lease * (0.15 + 0.30 * random.nextDouble())));
    Pauses.Profile pauses = new Pauses.Profile(0.2 + 0.6 * random.nextDouble(),
        PAUSE_CEILINGS[random.nextInt(PAUSE_CEILINGS.length)],
        random.nextBoolean() ? 0 : 0.005 + 0.03 * random.nextDouble(), lease);
    int rounds = 2 + random.nextInt(3);
    List<Integer> stops = new ArrayList<>();
    double roll = random.nextDouble();
    for (int i = 0; i < (roll < 0.12 ? 2 : roll < 0.5 ? 1 : 0); i++) {
      stops.add(1 + random.nextInt(rounds));
    }
    return new RunPlan(lease, deadline, random.nextBoolean(), pauses, rounds, 1 + random.nextInt(6),
        random.nextInt((int) deadline + 1), random.nextInt(4), List.copyOf(stops), 0.5);
  }

  /** One instance's settings: most wait for the lock longer than a lease, some give up sooner. */
  RefreshInstance.Settings instance(Random random) {
    long lockWait = random.nextDouble() < 0.25 ? leaseMillis / 2 : 2 * leaseMillis + 200;
    return new RefreshInstance.Settings(Duration.ofMillis(leaseMillis), Duration.ofMillis(deadlineMillis),
        Duration.ofMillis(lockWait), pauses);
  }

  @Override
  public String toString() {
    return "lease " + leaseMillis + " ms, deadline " + deadlineMillis + " ms, " + (sealed ? "sealed" : "plain")
        + ", pauses " + Math.round(pauses.chance() * 100) + "% up to " + pauses.maxMillis() + " ms, stalls "
        + Math.round(pauses.stallChance() * 1000) / 10.0 + "%, " + rounds + " rounds of up to " + maxCalls
        + " calls within " + staggerMillis + " ms, up to " + maxFaults + " faults per round, stops in rounds "
        + stopRounds;
  }
}
