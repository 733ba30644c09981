package io.mallgate.resilience;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the upstream calls in flight on this instance, per mall and in total, so one mall's flood cannot take the
 * connection pool, the event loop or the memory from the others. Over a bound: 503 {@code overloaded} at once.
 * Thread-safe.
 */
public final class ConcurrencyLimits {

  private static final Map<String, String> RETRY_SOON = Map.of("Retry-After", "1");

  private final int perMall;
  private final int total;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Calls in flight by mall; a mall leaves the map when its last call ends, so any number of ids can pass. */
  private final ConcurrentHashMap<String, Integer> perMallInFlight = new ConcurrentHashMap<>();

  public ConcurrencyLimits(int perMall, int total) {
    this.perMall = perMall;
    this.total = total;
  }

  /**
   * Takes a place for one call of the mall; give it back with {@link #exit} exactly once.
   *
   * @throws GatewayFailure {@code overloaded} when a bound is reached (nothing is taken then)
   */
  public void enter(String mall) {
    if (inFlight.incrementAndGet() > total) {
      inFlight.decrementAndGet();
      throw new GatewayFailure(ErrorCode.OVERLOADED, "the gateway is at its limit of concurrent calls", RETRY_SOON);
    }
    boolean[] admitted = {false};
    perMallInFlight.compute(mall, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= perMall) {
        return count;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      inFlight.decrementAndGet();
      throw new GatewayFailure(ErrorCode.OVERLOADED, "too many concurrent calls for this mall", RETRY_SOON);
    }
  }

  public void exit(String mall) {
    inFlight.decrementAndGet();
    perMallInFlight.computeIfPresent(mall, (key, count) -> count <= 1 ? null : count - 1);
  }

  /** Malls with a call in flight now (for tests: the map must not keep malls that have none). */
  int mallsInFlight() {
    return perMallInFlight.size();
  }

  /** Calls in flight now, all malls together. */
  public int inFlight() {
    return inFlight.get();
  }
}
