package io.mallgate.usage;

/**
 * What one app did to one mall over a span of time.
 *
 * @param calls           requests it made to the gateway for the mall (whatever became of them)
 * @param cafe24Calls     tries of them sent to Cafe24 (retries and replays included): each spends one call of the
 *                        mall's Cafe24 budget
 * @param cafe24Throttled tries Cafe24 answered with its own 429
 */
public record AppCounts(long calls, long cafe24Calls, long cafe24Throttled) {

  static final AppCounts ZERO = new AppCounts(0, 0, 0);

  AppCounts plus(AppCounts other) {
    return new AppCounts(calls + other.calls, cafe24Calls + other.cafe24Calls, cafe24Throttled + other.cafe24Throttled);
  }
}
