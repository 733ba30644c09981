package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import java.math.BigDecimal;

/**
 * A mall's call budget in the units the limiters compute with.
 *
 * @param capacity       calls the bucket holds ({@code rateLimit.capacity})
 * @param intervalMillis milliseconds the bucket takes to drain one call, {@code 1000 / rateLimit.perSecond}
 * @param maxWaitMillis  longest a request may wait for its slot ({@code rateLimit.maxWait})
 * @param maxQueue       requests of one mall that may wait on one instance ({@code rateLimit.maxQueue}; at least one
 *                       always may)
 */
record RateBudget(int capacity, double intervalMillis, long maxWaitMillis, int maxQueue) {

  /**
   * How much later than our grant a busy period's first call may start Cafe24's drain. Cafe24 drains from the moment
   * that call arrives, and the first call of a burst is often the slowest to get there (a new connection, a TLS
   * handshake, cold code), while later calls reuse warm connections: were our model to drain from the grant, the
   * first paced call after a burst could reach Cafe24 a moment before its slot has drained there. So the model starts
   * each busy period's drain this much later: a full burst of {@code capacity} calls still goes at once, the later
   * calls of the busy period each go this much later, and the sustained rate is unchanged. It should exceed the
   * connection set-up time to Cafe24: 250 ms covers a TLS handshake within Korea, and a cold JVM in our tests (where
   * the first call of a burst took up to about 210 ms from grant to arrival, the later ones 2 ms).
   */
  static final long SAFETY_MARGIN_MILLIS = 250;

  static RateBudget of(GatewayConfig.RateLimit cfg) {
    if (cfg.capacity() < 1 || !(cfg.perSecond() > 0)) {
      throw new IllegalArgumentException("rateLimit.capacity and rateLimit.perSecond must be positive");
    }
    return new RateBudget(cfg.capacity(), 1000.0 / cfg.perSecond(), Math.max(0, cfg.maxWait().toMillis()),
        Math.max(1, cfg.maxQueue()));
  }

  /** The drain interval as a plain decimal, for a Lua script. */
  String intervalArg() {
    return BigDecimal.valueOf(intervalMillis).toPlainString();
  }

  /** Milliseconds until {@code calls} more slots drain, rounded up. */
  long drainMillis(int calls) {
    return (long) Math.ceil(calls * intervalMillis);
  }
}
