package io.mallgate.metrics;

import io.mallgate.reload.ReloadCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mallgate_config_reloads_total{outcome="applied|rejected"}}: configuration reloads of this instance (SIGHUP or
 * a change of the file); {@code rejected} means the file was invalid and the running configuration stayed.
 */
final class ReloadMeters implements MeterBinder {

  private final ReloadCounters reloads;

  ReloadMeters(ReloadCounters reloads) {
    this.reloads = reloads;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("mallgate.config.reloads", reloads, ReloadCounters::applied)
        .description("Configuration reloads by outcome")
        .tag("outcome", "applied")
        .register(registry);
    FunctionCounter.builder("mallgate.config.reloads", reloads, ReloadCounters::rejected)
        .description("Configuration reloads by outcome")
        .tag("outcome", "rejected")
        .register(registry);
  }
}
