package io.mallgate.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits on the test thread for something asynchronous to become true, checking every 20 ms up to a deadline: the way
 * to wait for background work (a scheduler, a delivery) without sleeping a guessed time.
 */
public final class Poll {

  private Poll() {
  }

  /** Returns once {@code condition} holds; fails with {@code what} when it still does not after {@code within}. */
  public static void until(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }
}
