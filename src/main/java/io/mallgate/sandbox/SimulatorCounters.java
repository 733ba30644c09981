package io.mallgate.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the simulated Cafe24 has seen, for tests to assert on. Written on the event loop, read from any thread:
 * every counter is atomic, and a value read after the Future of the HTTP exchange completed includes that exchange.
 */
final class SimulatorCounters {

  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger codeExchanges = new AtomicInteger();
  private final AtomicInteger refreshReuses = new AtomicInteger();
  private final Map<String, AtomicInteger> refreshes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> rateLimited = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> refreshAttempts = new ConcurrentHashMap<>();
  // Keyed by the redeemed refresh token itself: one entry per refresh, a few a day per mall, like the registry's own
  // record of redeemed tokens.
  private final Map<String, AtomicInteger> redemptions = new ConcurrentHashMap<>();

  void tokenRequest() {
    tokenRequests.incrementAndGet();
  }

  void codeExchanged() {
    codeExchanges.incrementAndGet();
  }

  void refreshReused() {
    refreshReuses.incrementAndGet();
  }

  void refreshed(String mall) {
    refreshes.computeIfAbsent(mall, m -> new AtomicInteger()).incrementAndGet();
  }

  /** A refresh grant request for {@code mall} reached the token endpoint, whatever came of it. */
  void refreshAttempted(String mall) {
    refreshAttempts.computeIfAbsent(mall, m -> new AtomicInteger()).incrementAndGet();
  }

  /** {@code refreshToken} was just redeemed successfully. */
  void redeemed(String refreshToken) {
    redemptions.computeIfAbsent(refreshToken, t -> new AtomicInteger()).incrementAndGet();
  }

  void rateLimited(String mall) {
    rateLimited.computeIfAbsent(mall, m -> new AtomicInteger()).incrementAndGet();
  }

  int tokenRequests() {
    return tokenRequests.get();
  }

  int codeExchanges() {
    return codeExchanges.get();
  }

  int refreshReuses() {
    return refreshReuses.get();
  }

  int refreshes(String mall) {
    return count(refreshes, mall);
  }

  int refreshAttempts(String mall) {
    return count(refreshAttempts, mall);
  }

  int successfulRedemptions(String refreshToken) {
    return count(redemptions, refreshToken);
  }

  int rateLimitedCount(String mall) {
    return count(rateLimited, mall);
  }

  private static int count(Map<String, AtomicInteger> counts, String key) {
    AtomicInteger count = key == null ? null : counts.get(key);
    return count == null ? 0 : count.get();
  }
}
