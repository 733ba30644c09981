package io.mallgate.webhook.fanout;

import java.util.function.BooleanSupplier;

/** Waits on the test thread, polling, until a condition holds or the deadline passes (then fails the test). */
final class Poll {

  private Poll() {
  }

  static void until(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
