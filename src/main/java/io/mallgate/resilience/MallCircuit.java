package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;

/**
 * One mall's breaker and what happened to it: how often it moved to each state and when it last moved. Written by
 * the breaker's handlers, read by the admin API and the metrics; thread-safe.
 *
 * <p>The breaker itself is replaced when a reload changed {@code breaker.*} ({@link MallBreakers}): the library fixes
 * a breaker's options when it is created. The history (counts, when it fell sick) stays with the mall.
 */
final class MallCircuit {

  private volatile CircuitBreaker breaker;
  /** The section {@link #breaker} was built from. */
  private volatile GatewayConfig.Breaker settings;
  private long opened;
  private long halfOpened;
  private long closed;
  private Instant lastTransitionAt;
  private Instant sickSince;
  /** {@link System#nanoTime} of the last move: the breaker's reset timer runs on real time, whatever the clock. */
  private long lastTransitionNanos;

  MallCircuit(CircuitBreaker breaker, GatewayConfig.Breaker settings) {
    this.breaker = breaker;
    this.settings = settings;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  GatewayConfig.Breaker settings() {
    return settings;
  }

  /** Whether {@code candidate} is the breaker in use (a replaced one's late events are ignored). */
  boolean uses(CircuitBreaker candidate) {
    return breaker == candidate;
  }

  /** Puts a breaker built from newer settings in place of the current one; returns the one replaced. */
  synchronized CircuitBreaker replace(CircuitBreaker next, GatewayConfig.Breaker nextSettings) {
    CircuitBreaker previous = breaker;
    breaker = next;
    settings = nextSettings;
    return previous;
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
  synchronized long secondsToProbe() {
    if (lastTransitionAt == null || breaker.state() != CircuitBreakerState.OPEN) {
      return 1;
    }
    long millis = settings.resetTimeout().toMillis() - (System.nanoTime() - lastTransitionNanos) / 1_000_000;
    return Math.max(1, (millis + 999) / 1000);
  }

  synchronized CircuitStatus status() {
    return new CircuitStatus(breaker.state().name(), opened, halfOpened, closed, lastTransitionAt);
  }
}
