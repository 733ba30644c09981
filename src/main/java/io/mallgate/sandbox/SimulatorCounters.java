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

  int rateLimitedCount(String mall) {
    return count(rateLimited, mall);
  }

  private static int count(Map<String, AtomicInteger> counts, String mall) {
    AtomicInteger count = counts.get(mall);
    return count == null ? 0 : count.get();
  }
}
