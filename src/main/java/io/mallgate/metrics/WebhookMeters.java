package io.mallgate.metrics;

import io.mallgate.webhook.WebhookCounters;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Webhooks received by this instance, read from {@link WebhookCounters} at scrape time:
 * {@code mallgate_webhooks_total{outcome=...}} — {@code accepted} (recorded), {@code duplicate} (a copy within the
 * de-dup window, acknowledged), {@code unverified} (403), {@code too_large} (413), {@code timed_out} (408),
 * {@code store_failed} (503, Cafe24 resends), {@code not_configured} (503, no webhook API key) — and
 * {@code mallgate_webhook_app_removals_total} (app deleted or expired events that marked a mall) and
 * {@code mallgate_webhook_app_restorations_total} (app expiry extended events that cleared an {@code app_expired}
 * mark); and the fan-out to subscribers,
 * {@code mallgate_webhook_deliveries_total{outcome="delivered|failed|dead_lettered|replayed"}} ({@code failed}
 * counts attempts that will be retried or end as a dead letter), and
 * {@code mallgate_webhook_dead_letters_dropped_total} (the oldest dead letters dropped to keep
 * {@code webhook.streamMaxLength} in the embedded mode).
 */
final class WebhookMeters implements MeterBinder {

  private final WebhookCounters counters;
  private final FanoutCounters fanout;

  WebhookMeters(WebhookCounters counters, FanoutCounters fanout) {
    this.counters = counters;
    this.fanout = fanout;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    outcome(registry, "accepted", WebhookCounters::acceptedCount);
    outcome(registry, "duplicate", WebhookCounters::duplicateCount);
    outcome(registry, "unverified", WebhookCounters::unverifiedCount);
    outcome(registry, "too_large", WebhookCounters::tooLargeCount);
    outcome(registry, "timed_out", WebhookCounters::timedOutCount);
    outcome(registry, "store_failed", WebhookCounters::storeFailureCount);
    outcome(registry, "not_configured", WebhookCounters::notConfiguredCount);
    FunctionCounter.builder("mallgate.webhook.app.removals", counters, WebhookCounters::appRemovalCount)
        .description("App deleted or expired events that marked a mall for re-authorization")
        .register(registry);
    FunctionCounter.builder("mallgate.webhook.app.restorations", counters, WebhookCounters::appRestorationCount)
        .description("App expiry extended events that cleared a mall's app_expired mark")
        .register(registry);
    delivery(registry, "delivered", FanoutCounters::deliveredCount);
    delivery(registry, "failed", FanoutCounters::failedCount);
    delivery(registry, "dead_lettered", FanoutCounters::deadLetteredCount);
    delivery(registry, "replayed", FanoutCounters::replayedCount);
    FunctionCounter.builder("mallgate.webhook.dead.letters.dropped", fanout, FanoutCounters::deadLettersDroppedCount)
        .description("Oldest fan-out dead letters dropped to keep webhook.streamMaxLength (embedded mode)")
        .register(registry);
  }

  private void delivery(MeterRegistry registry, String outcome, ToDoubleFunction<FanoutCounters> count) {
    FunctionCounter.builder("mallgate.webhook.deliveries", fanout, count)
        .description("Webhook deliveries to fan-out subscribers from this instance, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private void outcome(MeterRegistry registry, String outcome, ToDoubleFunction<WebhookCounters> count) {
    FunctionCounter.builder("mallgate.webhooks", counters, count)
        .description("Webhooks received on this instance, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
