package io.mallgate.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a load test saw: each answer's outcome (a status, or {@code status code} for a gateway error) and latency.
 * Prints the figures issue 4 asks for: requests, outcomes by code, p50 and p99. Thread-safe.
 */
public final class Latencies {

  private final List<Long> millis = new ArrayList<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();

  public synchronized void record(int status, String gatewayCode, long elapsedMillis) {
    millis.add(elapsedMillis);
    outcomes.merge(gatewayCode == null ? Integer.toString(status) : status + " " + gatewayCode, 1, Integer::sum);
  }

  public synchronized int count() {
    return millis.size();
  }

  /** Answers by outcome, e.g. {@code {"200": 95, "503 circuit_open": 5}}. */
  public synchronized Map<String, Integer> outcomes() {
    return new TreeMap<>(outcomes);
  }

  /** The {@code p}-th percentile latency in ms (nearest rank), 0 when nothing was recorded. */
  public synchronized long percentile(double p) {
    if (millis.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** One line of figures for the test output. */
  public synchronized String summary(String label) {
    return String.format("[figures] %s: %d requests, outcomes %s, p50 %d ms, p99 %d ms, max %d ms", label, count(),
        outcomes, percentile(50), percentile(99), percentile(100));
  }
}
