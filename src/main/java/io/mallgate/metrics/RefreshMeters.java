package io.mallgate.metrics;

import io.mallgate.token.RefreshCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Token refreshes done by this instance, read from {@link RefreshCounters} at scrape time:
 * {@code mallgate_refreshes_total{outcome="refreshed|failed|reauthorization_required"}}. {@code failed} counts
 * refreshes that did not finish (the mall keeps its token, and may try again); {@code reauthorization_required}
 * counts malls marked as needing a new install. The counters are referred to weakly; the gateway holds them.
 */
final class RefreshMeters implements MeterBinder {

  private final RefreshCounters counters;

  RefreshMeters(RefreshCounters counters) {
    this.counters = counters;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    outcome(registry, "refreshed", RefreshCounters::refreshed);
    outcome(registry, "failed", RefreshCounters::failed);
    outcome(registry, "reauthorization_required", RefreshCounters::reauthorizations);
  }

  private void outcome(MeterRegistry registry, String outcome, ToDoubleFunction<RefreshCounters> count) {
    FunctionCounter.builder("mallgate.refreshes", counters, count)
        .description("Token refreshes on this instance, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
