package io.mallgate.metrics;

import io.mallgate.webhook.WebhookCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Webhooks received by this instance, read from {@link WebhookCounters} at scrape time:
 * {@code mallgate_webhooks_total{outcome=...}} — {@code accepted} (recorded), {@code duplicate} (a copy within the
 * de-dup window, acknowledged), {@code unverified} (403), {@code too_large} (413), {@code timed_out} (408),
 * {@code store_failed} (503, Cafe24 resends) — and {@code mallgate_webhook_app_removals_total} (app deleted or
 * expired events that marked a mall).
 */
final class WebhookMeters implements MeterBinder {

  private final WebhookCounters counters;

  WebhookMeters(WebhookCounters counters) {
    this.counters = counters;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    outcome(registry, "accepted", WebhookCounters::acceptedCount);
    outcome(registry, "duplicate", WebhookCounters::duplicateCount);
    outcome(registry, "unverified", WebhookCounters::unverifiedCount);
    outcome(registry, "too_large", WebhookCounters::tooLargeCount);
    outcome(registry, "timed_out", WebhookCounters::timedOutCount);
    outcome(registry, "store_failed", WebhookCounters::storeFailureCount);
    FunctionCounter.builder("mallgate.webhook.app.removals", counters, WebhookCounters::appRemovalCount)
        .description("App deleted or expired events that marked a mall for re-authorization")
        .register(registry);
  }

  private void outcome(MeterRegistry registry, String outcome, ToDoubleFunction<WebhookCounters> count) {
    FunctionCounter.builder("mallgate.webhooks", counters, count)
        .description("Webhooks received on this instance, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
