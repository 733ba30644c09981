package io.mallgate.metrics;

import io.mallgate.proxy.CoalesceCounters;
import io.mallgate.proxy.CoalesceCounters.Outcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * GETs that shared another's call to Cafe24 ({@code proxy.coalesce}), by {@code outcome} ({@code served},
 * {@code failed}, {@code too_large}, {@code varies}, {@code leader_left}): {@code mallgate_coalesced_requests_total} counts the
 * requests that waited (each one a call Cafe24 did not get, when served or failed),
 * {@code mallgate_coalesced_calls_total} the calls they waited on, and {@code mallgate_coalesced_waiting} those
 * waiting now. No mall label: the number of malls is not bounded.
 */
final class CoalesceMeters implements MeterBinder {

  private final CoalesceCounters counters;

  CoalesceMeters(CoalesceCounters counters) {
    this.counters = counters;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Outcome outcome : Outcome.values()) {
      FunctionCounter.builder("mallgate.coalesced.requests", counters, c -> c.requests(outcome))
          .description("Requests that waited on an identical GET's call to Cafe24, by how it ended for them")
          .tag("outcome", outcome.label())
          .register(registry);
      FunctionCounter.builder("mallgate.coalesced.calls", counters, c -> c.calls(outcome))
          .description("Calls to Cafe24 that identical GETs waited on, by how they ended")
          .tag("outcome", outcome.label())
          .register(registry);
    }
    Gauge.builder("mallgate.coalesced.waiting", counters, CoalesceCounters::waiting)
        .description("Requests waiting on an identical GET's call to Cafe24 now")
        .register(registry);
  }
}
