package io.mallgate.resilience;

/**
 * What the rate limiter knows about one mall right now, for operators. Read-only: taking it never changes a
 * decision.
 *
 * @param enabled        whether calls are shaped at all ({@code rateLimit.enabled})
 * @param scope          {@code cluster} when the bucket is shared through Redis, {@code instance} when it lives in
 *                       this process (the embedded mode, or the Redis mode while Redis does not answer)
 * @param capacity       calls Cafe24's bucket holds
 * @param level          calls the model counts in the bucket now (a fraction while it drains); 0 for an idle mall
 * @param pausedForMillis how long Cafe24's pause still holds the mall's calls, 0 when none
 * @param queued         requests of this mall waiting on this instance
 */
public record RateState(boolean enabled, String scope, int capacity, double level, long pausedForMillis,
    int queued) {

  static final RateState UNLIMITED = new RateState(false, "instance", 0, 0, 0, 0);

  /** The bucket's view as {@link LocalBucket} or {@code rate-peek.lua} reports it. */
  record Bucket(double level, long pausedForMillis) {
    static final Bucket EMPTY = new Bucket(0, 0);
  }
}
