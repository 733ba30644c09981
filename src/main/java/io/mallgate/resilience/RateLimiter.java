package io.mallgate.resilience;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Keeps the gateway's calls to each mall inside Cafe24's per-mall leaky bucket, together across every instance, so
 * callers wait briefly in the gateway instead of colliding with Cafe24's 429s (calling while blocked makes the block
 * longer). One mall's burst never delays another mall.
 */
public interface RateLimiter {

  /**
   * Waits for the mall's next call slot, in arrival order, up to {@code rateLimit.maxWait}.
   *
   * @return completes when the call may go; fails with {@code GatewayFailure(RATE_LIMITED)} carrying
   *         {@code Retry-After} when the wait would be longer, or the mall's queue is full — without touching Cafe24
   */
  Future<Void> acquire(String mall);

  /**
   * Learns from Cafe24's answer to a call: {@code X-Api-Call-Limit}, the {@code X-Cafe24-*-Usage} and
   * {@code *-Remain} headers and a 429 correct the shared model, and a reported wait pauses the mall on every
   * instance. Never blocks, never fails.
   */
  void observe(String mall, int status, MultiMap headers);

  /**
   * What the limiter knows about the mall now (level, Cafe24's pause, this instance's queue), for the admin API.
   * Never fails: when the shared state cannot be read, this instance's own model answers.
   */
  default Future<RateState> state(String mall) {
    return Future.succeededFuture(RateState.UNLIMITED);
  }

  /**
   * How long, in ms, {@code calls} more calls of the mall would take to go by what this instance knows without asking
   * anyone (its own view of the mall's bucket and pacing, and of Cafe24's pause): the {@code Retry-After} of a refusal
   * that is not the limiter's own. Cheap, never blocks; 0 when calls are not shaped.
   */
  default long estimateMillis(String mall, int calls) {
    return 0;
  }

  /** No limit at all ({@code rateLimit.enabled: false}). */
  static RateLimiter unlimited() {
    return new RateLimiter() {
      @Override
      public Future<Void> acquire(String mall) {
        return Future.succeededFuture();
      }

      @Override
      public void observe(String mall, int status, MultiMap headers) {
      }
    };
  }
}
