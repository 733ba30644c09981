package io.mallgate.metrics;

import io.mallgate.webhook.fanout.DeliveryListener;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How far behind the fan-out is, per subscriber ({@code subscriber}: a name from {@code webhook.subscribers}, a set
 * fixed at start; never a URL):
 * <ul>
 *   <li>{@code mallgate_webhook_fanout_lag_seconds{subscriber}}: how old the oldest event is that this instance's
 *       delivery loop for the subscriber has yet to deliver, 0 when caught up ({@link FanoutCounters#lagSeconds}),
 *       read at scrape time;</li>
 *   <li>{@code mallgate_webhook_fanout_delay_seconds{subscriber}}: from an event's recording to its 2xx from the
 *       subscriber, retries included (replays of dead letters are not), as a histogram with the fixed
 *       {@link #BUCKETS} (100 ms to 1 h, 12 bounds and {@code +Inf}), heard as a {@link DeliveryListener}.</li>
 * </ul>
 * Both exist from the start for every configured subscriber, at 0.
 */
final class FanoutMeters implements MeterBinder, DeliveryListener {

  /** From a delivery within one poll to one retried for an hour (a subscriber down that long). */
  static final Duration[] BUCKETS = Stream.of(100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L, 30_000L, 60_000L,
      300_000L, 900_000L, 3_600_000L).map(Duration::ofMillis).toArray(Duration[]::new);

  private final ConcurrentHashMap<String, Timer> delays = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers both meters for each subscriber the fan-out was configured with. Call once, after {@link #bindTo}. */
  void watch(FanoutCounters fanout) {
    for (String subscriber : fanout.subscribers()) {
      Gauge.builder("mallgate.webhook.fanout.lag", fanout, counters -> counters.lagSeconds(subscriber))
          .description("Age of the oldest webhook this instance's delivery loop has yet to deliver to the subscriber "
              + "(0: caught up)")
          .baseUnit("seconds")
          .tag("subscriber", subscriber)
          .register(registry);
      delay(subscriber);
    }
  }

  @Override
  public void delivered(String subscriber, long delayMillis) {
    if (registry != null) {
      delay(subscriber).record(delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private Timer delay(String subscriber) {
    return delays.computeIfAbsent(subscriber, name -> Timer.builder("mallgate.webhook.fanout.delay")
        .description("Time from a webhook's recording to the subscriber's 2xx, retries included")
        .tag("subscriber", name)
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
  }
}
