package io.mallgate.resilience;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the upstream calls in flight on this instance, per mall and in total, so one mall's flood cannot take the
 * connection pool, the event loop or the memory from the others.
 *
 * <p>Over the mall's bound ({@code proxy.maxConcurrentPerMall}): 429 {@code rate_limited}, as Cafe24 itself would
 * answer a mall called too hard, so that callers back off as they do for Cafe24's 429; its {@code Retry-After} is how
 * long the mall's calls in flight take to go at the mall's rate (a caller coming back sooner would only queue behind
 * them). Over the gateway's bound ({@code proxy.maxConcurrent}): 503 {@code overloaded} with {@code Retry-After: 1},
 * since the gateway, not the mall, is full. Thread-safe.
 */
public final class ConcurrencyLimits {

  private static final Map<String, String> RETRY_SOON = Map.of("Retry-After", "1");

  /** How long, in ms, a mall's calls in flight take to go (see {@link RateLimiter#estimateMillis}). */
  @FunctionalInterface
  public interface DrainEstimate {
    long millis(String mall, int calls);
  }

  private final int perMall;
  private final int total;
  private final DrainEstimate drain;
  private final AtomicInteger inFlight = new AtomicInteger();
  /**
   * Calls in flight by mall. A mall leaves the map when its last call ends, so any number of ids can pass: its
   * counter is then retired ({@link Counter#RETIRED}) and a later call makes a new one. Lock-free, and nothing is
   * allocated while a mall has calls in flight: a counter is found with a plain get and moved by compare-and-set.
   */
  private final ConcurrentHashMap<String, Counter> perMallInFlight = new ConcurrentHashMap<>();

  /** With a {@code Retry-After} of 1 s for a mall at its bound (when nothing knows the mall's rate). */
  public ConcurrencyLimits(int perMall, int total) {
    this(perMall, total, (mall, calls) -> 0);
  }

  /** @param drain the estimate behind a mall's {@code Retry-After}, usually the rate limiter's */
  public ConcurrencyLimits(int perMall, int total, DrainEstimate drain) {
    this.perMall = perMall;
    this.total = total;
    this.drain = drain;
  }

  /**
   * Takes a place for one call of the mall; give it back with {@link #exit} exactly once.
   *
   * @throws GatewayFailure {@code rate_limited} when the mall's bound is reached, {@code overloaded} when the
   *                        gateway's is (nothing is taken then)
   */
  public void enter(String mall) {
    if (inFlight.incrementAndGet() > total) {
      inFlight.decrementAndGet();
      throw new GatewayFailure(ErrorCode.OVERLOADED, "the gateway is at its limit of concurrent calls", RETRY_SOON);
    }
    int seen = enterMall(mall);
    if (seen >= 0) {
      inFlight.decrementAndGet();
      throw new GatewayFailure(ErrorCode.RATE_LIMITED, "too many concurrent calls for this mall (proxy."
          + "maxConcurrentPerMall)", Map.of("Retry-After", Long.toString(retryAfterSeconds(mall, seen))));
    }
  }

  /** Takes one of the mall's places: -1 when taken, else the calls in flight that filled the mall's bound. */
  private int enterMall(String mall) {
    while (true) {
      Counter counter = perMallInFlight.get(mall);
      if (counter == null) {
        counter = perMallInFlight.computeIfAbsent(mall, key -> new Counter());
      }
      int calls = counter.get();
      if (calls == Counter.RETIRED) {
        perMallInFlight.remove(mall, counter); // its last call is leaving it: a new counter takes its place
        continue;
      }
      if (calls >= perMall) {
        return calls;
      }
      if (counter.compareAndSet(calls, calls + 1)) {
        return -1;
      }
    }
  }

  private long retryAfterSeconds(String mall, int calls) {
    long millis;
    try {
      millis = drain.millis(mall, calls);
    } catch (RuntimeException e) {
      millis = 0; // an estimate is advice: never let it turn a refusal into an error
    }
    return Math.max(1, (millis + 999) / 1000);
  }

  public void exit(String mall) {
    inFlight.decrementAndGet();
    Counter counter = perMallInFlight.get(mall);
    // A counter at 0 is retired only if no call entered meanwhile (the CAS), and then removed: an entering call that
    // finds it retired replaces it.
    if (counter != null && counter.decrementAndGet() == 0 && counter.compareAndSet(0, Counter.RETIRED)) {
      perMallInFlight.remove(mall, counter);
    }
  }

  /** One mall's calls in flight, or {@link #RETIRED} once it has left the map (or is leaving it). */
  private static final class Counter extends AtomicInteger {
    static final int RETIRED = -1;
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
