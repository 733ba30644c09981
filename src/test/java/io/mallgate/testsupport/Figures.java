package io.mallgate.testsupport;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a load or fault run as callers saw them: how many requests, how many ended with each status and gateway
 * code, and the p50/p99/max time to the answer. {@link #print} writes one line to the test output, so a run's
 * numbers stay on record next to its verdict. Thread-safe.
 */
public final class Figures {

  /** The outcome key of a request that got no HTTP answer at all (the connection failed or the client gave up). */
  public static final String NO_ANSWER = "no answer";

  private final String name;
  private final List<Long> millis = new ArrayList<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();

  public Figures(String name) {
    this.name = name;
  }

  /** Records one request that started at {@code startNanos} ({@link System#nanoTime()}) and ended now. */
  public synchronized void record(AsyncResult<HttpResponse<Buffer>> answer, long startNanos) {
    millis.add((System.nanoTime() - startNanos) / 1_000_000);
    outcomes.merge(outcome(answer), 1, Integer::sum);
  }

  /** {@code "200"}, {@code "504 upstream_timeout"} (with the {@code X-Mallgate-Error} code), or {@link #NO_ANSWER}. */
  public static String outcome(AsyncResult<HttpResponse<Buffer>> answer) {
    if (answer.failed()) {
      return NO_ANSWER;
    }
    String code = answer.result().getHeader("X-Mallgate-Error");
    return answer.result().statusCode() + (code == null ? "" : " " + code);
  }

  public synchronized int requests() {
    return millis.size();
  }

  /** Requests by outcome, as {@link #outcome} names them. */
  public synchronized Map<String, Integer> byOutcome() {
    return new TreeMap<>(outcomes);
  }

  /** The {@code p}-th percentile (0–100) of the times to an answer, in ms, nearest rank; 0 when none. */
  public synchronized long percentile(double p) {
    if (millis.isEmpty()) {
      return 0;
    }
    List<Long> sorted = millis.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public synchronized long max() {
    return millis.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** One line on standard output: {@code [figures] name: N requests, {outcomes}, p50 … ms, p99 … ms, max … ms}. */
  public synchronized void print() {
    System.out.printf("[figures] %s: %d requests, %s, p50 %d ms, p99 %d ms, max %d ms%n",
        name, requests(), byOutcome(), percentile(50), percentile(99), max());
  }
}
