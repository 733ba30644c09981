package io.mallgate.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Faults the simulated token endpoint ({@code POST /{mall}/api/v2/oauth/token}, code exchange and refresh alike)
 * plays on the next requests, so tests can prove the gateway's refresh protocol against a slow, failing or
 * answer-losing Cafe24.
 *
 * <p>Queued faults ({@link #delayNext}, {@link #failNext}, {@link #loseNextResponses}) form one queue in the order
 * they were programmed; each arriving request takes at most one, in arrival order. A request that takes no queued
 * delay waits the {@link #delayAll} delay, if any, so {@code delayAll} combines with a queued fail or loss ("slow,
 * then lost"). Every wait is a Vert.x timer: the event loop keeps serving other requests meanwhile.
 *
 * <p>What happened is visible through the simulator's counters, never guessed: a request counts as redeeming only if
 * it really reached the token registry. {@link #settled()} tells a test when delayed requests have been processed.
 *
 * <p>Thread-safe: tests program faults from their own thread while the event loop consumes them.
 */
public final class TokenEndpointFaults {

  /** What one arriving request suffers: a wait first, then its outcome ({@code refusal} only for REFUSE). */
  record Fault(Duration delay, Outcome outcome, int status, Refusal refusal) {
    Fault(Duration delay, Outcome outcome, int status) {
      this(delay, outcome, status, null);
    }
  }

  /** An OAuth refusal to answer with: {@code {"error":…,"error_description":…}}. */
  record Refusal(int status, String error, String description) {
  }

  /** How a request ends after its wait. */
  enum Outcome {
    /** Processed and answered normally. */
    ANSWER,
    /** Answered with {@link Fault#status()} and a JSON error, without being processed: nothing is redeemed. */
    FAIL,
    /** Processed (a refresh token is redeemed), then the connection is closed without an answer. */
    LOSE,
    /** Answered with {@link Fault#refusal()}, without being processed: nothing is redeemed. */
    REFUSE
  }

  private final Deque<Fault> queued = new ArrayDeque<>();
  private final List<Promise<Void>> settleWaiters = new ArrayList<>();
  private Duration delayAll = Duration.ZERO;
  private Refusal refuseRefreshes;
  private int inFlight;

  /**
   * The next {@code count} requests wait {@code delay} before being processed. A delayed request is processed even if
   * its client gave up meanwhile, as a real server keeps working after the client's timeout; its answer is written
   * only if the connection is still open.
   *
   * @param count at least 1
   * @param delay not negative
   */
  public synchronized TokenEndpointFaults delayNext(int count, Duration delay) {
    requireCount(count);
    return enqueue(count, new Fault(requireDelay(delay), Outcome.ANSWER, 0));
  }

  /**
   * The next {@code count} requests are answered {@code status} with an OAuth-style JSON error
   * ({@code temporarily_unavailable} for 503, {@code server_error} for other 5xx, {@code invalid_request} for 4xx),
   * without being processed: no code or refresh token is consumed.
   *
   * @param status 400 to 599
   */
  public synchronized TokenEndpointFaults failNext(int count, int status) {
    requireCount(count);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP error status (400-599), was " + status);
    }
    return enqueue(count, new Fault(null, Outcome.FAIL, status));
  }

  /**
   * The next {@code count} requests are processed (a refresh token is redeemed and a new pair issued), then their
   * connection is closed without any answer: the client cannot know whether the token was redeemed.
   */
  public synchronized TokenEndpointFaults loseNextResponses(int count) {
    requireCount(count);
    return enqueue(count, new Fault(null, Outcome.LOSE, 0));
  }

  /**
   * Every request that takes no queued delay waits {@code delay} first; {@link Duration#ZERO} turns this off.
   *
   * @param delay not negative
   */
  public synchronized TokenEndpointFaults delayAll(Duration delay) {
    delayAll = requireDelay(delay);
    return this;
  }

  /**
   * Every refresh grant that takes no queued fault is answered {@code status} with {@code error} and
   * {@code description}, without being processed (nothing is redeemed), until {@link #clear()}: a Cafe24 that refuses
   * every refresh token alike, in words the test chooses. Code exchanges are not affected.
   *
   * @param status 400 to 499
   */
  public synchronized TokenEndpointFaults refuseRefreshes(int status, String error, String description) {
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status must be an HTTP client error status (400-499), was " + status);
    }
    refuseRefreshes = new Refusal(status, Objects.requireNonNull(error, "error"),
        Objects.requireNonNull(description, "description"));
    return this;
  }

  /**
   * Drops every queued fault, the {@link #delayAll} delay and {@link #refuseRefreshes}; requests already waiting
   * finish as planned.
   */
  public synchronized TokenEndpointFaults clear() {
    queued.clear();
    delayAll = Duration.ZERO;
    refuseRefreshes = null;
    return this;
  }

  /** Queued faults no request has taken yet. */
  public synchronized int pending() {
    return queued.size();
  }

  /**
   * Completes once every token request that has arrived so far has been processed and answered (or closed), delayed
   * ones included; at once when none is under way. Lets a test wait for a request whose client already timed out.
   */
  public Future<Void> settled() {
    synchronized (this) {
      if (inFlight > 0) {
        Promise<Void> waiter = Promise.promise();
        settleWaiters.add(waiter);
        return waiter.future();
      }
    }
    return Future.succeededFuture();
  }

  /**
   * Takes the fault for a request that just arrived and counts it as under way until {@link #finished()}.
   *
   * @param refresh whether it is a refresh grant ({@link #refuseRefreshes} applies)
   */
  synchronized Fault arrive(boolean refresh) {
    inFlight++;
    Fault next = queued.poll();
    if (next == null) {
      return refresh && refuseRefreshes != null
          ? new Fault(delayAll, Outcome.REFUSE, refuseRefreshes.status(), refuseRefreshes)
          : new Fault(delayAll, Outcome.ANSWER, 0);
    }
    return next.delay() == null ? new Fault(delayAll, next.outcome(), next.status()) : next;
  }

  /** A request taken by {@link #arrive(boolean)} has been processed and answered or closed. */
  void finished() {
    List<Promise<Void>> ready;
    synchronized (this) {
      inFlight--;
      if (inFlight > 0 || settleWaiters.isEmpty()) {
        return;
      }
      ready = List.copyOf(settleWaiters);
      settleWaiters.clear();
    }
    // Completed outside the lock: a waiter's callbacks may program the next faults.
    ready.forEach(Promise::complete);
  }

  private TokenEndpointFaults enqueue(int count, Fault fault) {
    for (int i = 0; i < count; i++) {
      queued.addLast(fault);
    }
    return this;
  }

  private static void requireCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
  }

  private static Duration requireDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    return delay;
  }
}
