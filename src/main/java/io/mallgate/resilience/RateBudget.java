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
 * @param paceMillis     least time between two grants for one mall, from {@code rateLimit.maxPerSecond} (see
 *                       {@link #paceInterval}); 0: no pacing
 * @param paceMarginMillis how much later the call after an idle mall's first goes (see {@link #paceMargin}); 0: none
 * @param egressMillis   least time between two grants of the whole deployment, from
 *                       {@code rateLimit.egressPerSecond}; 0: no such cap
 */
record RateBudget(int capacity, double intervalMillis, long maxWaitMillis, int maxQueue, double paceMillis,
    long paceMarginMillis, double egressMillis) {

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

  /**
   * The jitter between grant and arrival that pacing absorbs. Cafe24 counts calls as they arrive, not as we grant
   * them, and each call's way there differs a little (Redis's reply, the event loop's queue, the connection pool, the
   * network). Grants spaced exactly {@code 1000 / n} ms apart put the first and the (n+1)-th exactly one second
   * apart: any of them delayed a hair more than another makes n+1 arrivals within one second. Spaced
   * {@code (1000 + slack) / n} apart instead, n+1 grants span {@code 1000 + slack} ms, so n+1 arrivals fit in one
   * second only if one call's way takes {@code slack} ms longer than that of a call n places after it. The slack is a
   * fixed time rather than a margin per interval because jitter is a time: at Cafe24's 9 calls a second it costs
   * about 11 ms per interval (8.2 calls a second at most). It covers what we saw on a loaded test machine (most calls
   * within a few ms of their slot, one now and then up to 75 ms late) with room. A busy period's first call, often
   * the slowest (a new connection, a TLS handshake), gets more: {@link #paceMargin}.
   */
  static final long PACE_SLACK_MILLIS = 100;

  static RateBudget of(GatewayConfig.RateLimit cfg) {
    if (cfg.capacity() < 1 || !(cfg.perSecond() > 0) || cfg.maxPerSecond() < 1 || cfg.egressPerSecond() < 0) {
      throw new IllegalArgumentException("rateLimit.capacity, perSecond and maxPerSecond must be positive, "
          + "egressPerSecond not negative");
    }
    return new RateBudget(cfg.capacity(), 1000.0 / cfg.perSecond(), Math.max(0, cfg.maxWait().toMillis()),
        Math.max(1, cfg.maxQueue()), paceInterval(cfg.maxPerSecond()), paceMargin(cfg),
        paceInterval(cfg.egressPerSecond()));
  }

  /**
   * How long after its pace fell due a mall counts as idle: its next call is the first of a new stream for the pacing
   * (see {@link #paceMargin}). A second: an older call cannot share a second with the new ones anyway.
   */
  static final long PACE_IDLE_MILLIS = 1000;

  /**
   * The pacing's share of {@link #SAFETY_MARGIN_MILLIS}: the first call after the mall was idle may reach Cafe24
   * that much later than its grant (we saw over 200 ms in a cold JVM), which would put it in the same second as the
   * next {@code maxPerSecond} calls, paced though they are. So the call after it goes the margin later too, as the
   * bucket's drain starts the margin later; the rest of the stream keeps its pace. Not when the cap cannot be
   * reached: when the bucket alone lets no more than {@code maxPerSecond} calls go within two seconds (a second of
   * arrivals, plus the margin and the slack), a late first call cannot break it, and a burst keeps going at once.
   */
  static long paceMargin(GatewayConfig.RateLimit cfg) {
    return cfg.capacity() + 2 * cfg.perSecond() > cfg.maxPerSecond() ? SAFETY_MARGIN_MILLIS : 0;
  }

  /** The least spacing in ms that keeps {@code perSecond} calls in any second, with the slack; 0 for 0 (no cap). */
  static double paceInterval(int perSecond) {
    return perSecond <= 0 ? 0 : (1000.0 + PACE_SLACK_MILLIS) / perSecond;
  }

  /** The drain interval as a plain decimal, for a Lua script. */
  String intervalArg() {
    return decimal(intervalMillis);
  }

  /** The pace interval as a plain decimal, for a Lua script. */
  String paceArg() {
    return decimal(paceMillis);
  }

  /** The egress interval as a plain decimal, for a Lua script. */
  String egressArg() {
    return decimal(egressMillis);
  }

  boolean egressCapped() {
    return egressMillis > 0;
  }

  /** Milliseconds until {@code calls} more slots drain, rounded up. */
  long drainMillis(int calls) {
    return (long) Math.ceil(calls * intervalMillis);
  }

  /**
   * Milliseconds, rounded up, that {@code calls} more grants take after a grant when the bucket has room for
   * {@code free} of them without draining: paced one {@link #paceMillis} apart, and once the room is used, one drain
   * interval apart.
   */
  long spacingMillis(int calls, int free) {
    return (long) Math.ceil(Math.max(calls * paceMillis, Math.max(0, calls - free) * intervalMillis));
  }

  private static String decimal(double millis) {
    return BigDecimal.valueOf(millis).toPlainString();
  }
}
