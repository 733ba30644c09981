package io.mallgate.refresh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * The random pauses one instance takes around its store and lock operations, so that the protocol's steps interleave
 * differently from seed to seed: mostly none, often a few milliseconds, and rarely a stall as long as a lock lease
 * (a garbage-collection pause, a starved event loop). Each pause is a Vert.x timer on the caller's context: the event
 * loop keeps running meanwhile. Thread-safe; the draws are deterministic for a given seed and order of calls.
 */
final class Pauses {

  /**
   * How an instance pauses.
   *
   * @param chance      probability of a short pause (1 to {@code maxMillis} ms)
   * @param maxMillis   longest short pause
   * @param stallChance probability of a stall of {@code stallMillis / 2} to {@code stallMillis * 3 / 2} ms
   * @param stallMillis typical stall
   */
  record Profile(double chance, int maxMillis, double stallChance, long stallMillis) {

    Pauses create(Vertx vertx, Random random, LongConsumer onStall) {
      return new Pauses(vertx, random, chance, maxMillis, stallChance, stallMillis, onStall);
    }
  }

  private final Vertx vertx;
  private final Random random;
  private final double chance;
  private final int maxMillis;
  private final double stallChance;
  private final long stallMillis;
  private final LongConsumer onStall;

  /** @param onStall told of each stall's length, for the trace */
  Pauses(Vertx vertx, Random random, double chance, int maxMillis, double stallChance, long stallMillis,
      LongConsumer onStall) {
    this.vertx = vertx;
    this.random = random;
    this.chance = chance;
    this.maxMillis = Math.max(1, maxMillis);
    this.stallChance = stallChance;
    this.stallMillis = Math.max(2, stallMillis);
    this.onStall = onStall;
  }

  /** No pauses at all (the test's own reads). */
  static Pauses none() {
    return new Pauses(null, null, 0, 1, 0, 2, millis -> { });
  }

  /** Completes after the next pause (at once for none). */
  Future<Void> next() {
    long millis = draw();
    return millis <= 0 ? Future.succeededFuture() : vertx.timer(millis).mapEmpty();
  }

  private long draw() {
    if (random == null) {
      return 0;
    }
    double roll;
    long millis;
    synchronized (random) {
      roll = random.nextDouble();
      millis = roll < stallChance ? stallMillis / 2 + random.nextLong(stallMillis)
          : roll < stallChance + chance ? 1 + random.nextInt(maxMillis) : 0;
    }
    if (roll < stallChance) {
      onStall.accept(millis);
    }
    return millis;
  }
}
