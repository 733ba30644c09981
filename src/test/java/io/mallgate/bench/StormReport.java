package io.mallgate.bench;

import io.mallgate.bench.StormRun.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The storm's figures as a Markdown table, from the callers' samples and what the simulated Cafe24 counted. Times are
 * relative to T0, the moment the imported token needed its refresh ({@code expires_at - tokens.refreshBefore}).
 */
final class StormReport {

  /**
   * What the simulated Cafe24 saw during the storm, and the storm's settings.
   *
   * @param tokenRequests every request that reached the token endpoint (any grant, any mall) during the storm
   * @param refreshAttempts refresh-grant requests for the storm's mall
   * @param refreshes successful redemptions for the storm's mall
   * @param reuses attempts to redeem an already redeemed refresh token (any mall) during the storm
   * @param firstTokenRequestNanos when the first token request was seen ({@code nanoTime}), 0 if none
   * @param firstRefreshNanos when the first redemption was seen, 0 if none
   */
  record Cafe24Side(int tokenRequests, int refreshAttempts, int refreshes, int reuses, long firstTokenRequestNanos,
      long firstRefreshNanos) {
  }

  private final List<Sample> samples;
  private final long t0Nanos;
  private final StringBuilder out = new StringBuilder();

  StormReport(List<Sample> samples, long t0Nanos) {
    this.samples = samples;
    this.t0Nanos = t0Nanos;
  }

  /** Errors: any answer that is not a 2xx, or no answer. */
  long errors() {
    return samples.stream().filter(sample -> !sample.ok()).count();
  }

  String markdown(Map<String, String> settings, Cafe24Side cafe24) {
    out.append("| what | value |\n|---|---|\n");
    settings.forEach(this::row);
    row("token-endpoint requests during the storm (every grant)", Integer.toString(cafe24.tokenRequests()));
    row("refresh grants for the mall: attempts / redeemed", cafe24.refreshAttempts() + " / " + cafe24.refreshes());
    row("refresh-token reuse seen by the simulator", Integer.toString(cafe24.reuses()));
    row("first token-endpoint request / refresh redeemed, after T0 (polled every 1 ms)",
        since(cafe24.firstTokenRequestNanos()) + " / " + since(cafe24.firstRefreshNanos()));
    requests();
    long window = 2_000_000_000L;
    Predicate<Sample> steady = sample -> sample.endNanos() >= t0Nanos - window && sample.endNanos() < t0Nanos;
    row("before T0, for comparison: answers per second over the last 2 s; their latency p50 / p99 / max",
        samples.stream().filter(steady).count() * 1_000_000_000L / window + " /s; " + latency(steady));
    long lastEnd = samples.stream().mapToLong(Sample::endNanos).max().orElse(t0Nanos);
    row("**time from T0 to every request completed**", ms((lastEnd - t0Nanos) / 1_000));
    row("latency, all requests: p50 / p99 / max", latency(sample -> true));
    row("latency, requests in flight at T0", latency(this::inFlightAtT0));
    row("latency, requests sent at or after T0", latency(sample -> sample.startNanos() >= t0Nanos));
    row("answers completed per 100 ms, from T0 − 0.5 s", timeline());
    return out.toString();
  }

  private void requests() {
    long before = samples.stream().filter(sample -> sample.endNanos() < t0Nanos).count();
    long inFlight = samples.stream().filter(this::inFlightAtT0).count();
    long after = samples.stream().filter(sample -> sample.startNanos() >= t0Nanos).count();
    row("requests completed", samples.size() + " (answered before T0: " + before + "; in flight at T0: " + inFlight
        + "; sent at or after T0: " + after + ")");
    Map<String, Long> outcomes = samples.stream().collect(Collectors.groupingBy(
        sample -> sample.status() + (sample.detail() == null ? "" : " " + sample.detail()), TreeMap::new,
        Collectors.counting()));
    row("answers by status", outcomes.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
        .collect(Collectors.joining(", ")));
    row("**errors (non-2xx or no answer)**", Long.toString(errors()));
  }

  private boolean inFlightAtT0(Sample sample) {
    return sample.startNanos() < t0Nanos && sample.endNanos() >= t0Nanos;
  }

  private String latency(Predicate<Sample> which) {
    long[] micros = samples.stream().filter(which).mapToLong(Sample::micros).sorted().toArray();
    if (micros.length == 0) {
      return "none";
    }
    return ms(rank(micros, 50)) + " / " + ms(rank(micros, 99)) + " / " + ms(micros[micros.length - 1])
        + " (" + micros.length + " requests)";
  }

  /** Nearest rank. */
  private static long rank(long[] sorted, double percentile) {
    int rank = (int) Math.ceil(percentile / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private String timeline() {
    long from = t0Nanos - 500_000_000L;
    long last = samples.stream().mapToLong(Sample::endNanos).max().orElse(from);
    int[] buckets = new int[(int) Math.max(1, (last - from) / 100_000_000L + 1)];
    for (Sample sample : samples) {
      if (sample.endNanos() >= from) {
        buckets[(int) ((sample.endNanos() - from) / 100_000_000L)]++;
      }
    }
    return Arrays.stream(buckets).mapToObj(Integer::toString).collect(Collectors.joining(" "));
  }

  private String since(long nanos) {
    return nanos == 0 ? "never" : (nanos >= t0Nanos ? "+" : "−") + ms(Math.abs(nanos - t0Nanos) / 1_000);
  }

  private static String ms(long micros) {
    return String.format("%.1f ms", micros / 1000.0);
  }

  private void row(String what, String value) {
    out.append("| ").append(what).append(" | ").append(value).append(" |\n");
  }
}
