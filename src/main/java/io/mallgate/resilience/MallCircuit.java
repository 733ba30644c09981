package io.mallgate.resilience;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;

/**
 * One mall's breaker and what happened to it: how often it moved to each state and when it last moved. Written by
 * the breaker's handlers, read by the admin API and the metrics; thread-safe.
 */
final class MallCircuit {

  final CircuitBreaker breaker;
  private long opened;
  private long halfOpened;
  private long closed;
  private Instant lastTransitionAt;
  private Instant sickSince;
  /** {@link System#nanoTime} of the last move: the breaker's reset timer runs on real time, whatever the clock. */
  private long lastTransitionNanos;

  MallCircuit(CircuitBreaker breaker) {
    this.breaker = breaker;
  }

  /**
   * Records a move to {@code state}.
   *
   * @return whether this move made a healthy mall sick (closed to open): the one move worth a warning
   */
  synchronized boolean moved(CircuitBreakerState state, Instant at) {
    lastTransitionAt = at;
    lastTransitionNanos = System.nanoTime();
    switch (state) {
      case OPEN -> opened++;
      case HALF_OPEN -> halfOpened++;
      case CLOSED -> closed++;
    }
    boolean fellSick = state == CircuitBreakerState.OPEN && sickSince == null;
    if (fellSick) {
      sickSince = at;
    } else if (state == CircuitBreakerState.CLOSED) {
      sickSince = null;
    }
    return fellSick;
  }

  /** How long the mall has been sick (open or probing), zero when healthy. */
  synchronized Duration sickFor(Instant now) {
    return sickSince == null ? Duration.ZERO : Duration.between(sickSince, now);
  }

  /** Whole seconds, rounded up and at least 1, until an open circuit lets its next probe through. */
  synchronized long secondsToProbe(Duration resetTimeout) {
    if (lastTransitionAt == null || breaker.state() != CircuitBreakerState.OPEN) {
      return 1;
    }
    long millis = resetTimeout.toMillis() - (System.nanoTime() - lastTransitionNanos) / 1_000_000;
    return Math.max(1, (millis + 999) / 1000);
  }

  synchronized CircuitStatus status() {
    return new CircuitStatus(breaker.state().name(), opened, halfOpened, closed, lastTransitionAt);
  }
}
