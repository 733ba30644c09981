package io.mallgate.metrics;

import io.mallgate.token.RefreshListener;
import io.mallgate.token.TokenRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the refresh protocol did on this instance, heard as a {@link RefreshListener}:
 * <ul>
 *   <li>{@code mallgate_refreshes_total{outcome, reason}}: {@code refreshed} (reason {@code none}); {@code failed}
 *       with the attempt's outcome as reason ({@code rejected}, {@code unreachable}, {@code unavailable},
 *       {@code no_answer}, …: the mall keeps its token and may try again); {@code reauthorization_required} with the
 *       mark's reason ({@code invalid_grant}, {@code refresh_token_lost});</li>
 *   <li>{@code mallgate_refresh_lock_wait_seconds}: how long a refresh waited for the mall's lock (another instance
 *       refreshing), as a histogram from 1 ms to 30 s.</li>
 * </ul>
 * Reasons are the protocol's own words, a small closed set; anything else is {@code other}.
 */
final class RefreshMeters implements MeterBinder, RefreshListener {

  private static final Pattern WORD = Pattern.compile("[a-z_]{1,40}");
  private static final Duration[] BUCKETS = Stream.of(1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 30_000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile Timer lockWait;

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    this.lockWait = Timer.builder("mallgate.refresh.lock.wait")
        .description("Time a refresh waited for the mall's refresh lock")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
    counter("refreshed", "none"); // present from the start, at 0
  }

  @Override
  public void refreshed(String mall, TokenRecord record) {
    counter("refreshed", "none").increment();
  }

  @Override
  public void refreshFailed(String mall, TokenRecord.RefreshAttempt attempt) {
    counter("failed", attempt.outcome()).increment();
  }

  @Override
  public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
    counter("reauthorization_required", reauthorization.reason()).increment();
  }

  @Override
  public void lockAcquired(String mall, long nanos) {
    Timer timer = lockWait;
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private Counter counter(String outcome, String reason) {
    String word = reason != null && WORD.matcher(reason).matches() ? reason : "other";
    return counters.computeIfAbsent(outcome + ' ' + word, key -> Counter.builder("mallgate.refreshes")
        .description("Token refreshes on this instance, by outcome and reason")
        .tag("outcome", outcome)
        .tag("reason", word)
        .register(registry));
  }
}
