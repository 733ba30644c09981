package io.mallgate.alert;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The periodic checks of one instance, every {@code alerts.checkInterval}: circuits open (or probing) for at least
 * {@code alerts.circuitOpenFor}, and at least {@code alerts.webhookFailures.count} webhooks that failed verification
 * within {@code alerts.webhookFailures.window}. Circuits and webhook counts are per instance; {@link Alerts} makes one
 * alert of what several instances see. Reads counters only: no I/O of its own. Confined to the context that called
 * {@link #start}.
 *
 * <p>The section is read at each check, so a reload's new thresholds apply at the next one and a new
 * {@code checkInterval} from the one after (each check arms the next with the interval current then).
 */
public final class AlertChecks {

  private final Vertx vertx;
  private final Supplier<GatewayConfig.Alerts> config;
  private final Alerts alerts;
  private final Supplier<Map<String, Duration>> sickCircuits;
  private final LongSupplier unverifiedWebhooks;
  /** (System.nanoTime, unverified count) samples within the webhook window, oldest first. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long timer = -1;
  private boolean stopped;

  /**
   * @param sickCircuits       how long each mall's circuit has been open or probing (malls with a closed one absent)
   * @param unverifiedWebhooks webhooks refused as unverified since start
   * @param config             the section, read at each check (a reload may replace it)
   */
  public AlertChecks(Vertx vertx, Supplier<GatewayConfig.Alerts> config, Alerts alerts,
      Supplier<Map<String, Duration>> sickCircuits, LongSupplier unverifiedWebhooks) {
    this.vertx = vertx;
    this.config = config;
    this.alerts = alerts;
    this.sickCircuits = sickCircuits;
    this.unverifiedWebhooks = unverifiedWebhooks;
  }

  public void start() {
    samples.add(new long[] {System.nanoTime(), unverifiedWebhooks.getAsLong()});
    schedule();
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(config.get().checkInterval().toMillis(), t -> {
        try {
          check();
        } finally {
          schedule(); // a failed check must not end the checks
        }
      });
    }
  }

  private void check() {
    sickCircuits.get().forEach(alerts::circuitSick);
    long now = System.nanoTime();
    long count = unverifiedWebhooks.getAsLong();
    long windowNanos = config.get().webhookFailures().window().toNanos();
    while (samples.size() > 1 && now - samples.peekFirst()[0] > windowNanos) {
      samples.pollFirst();
    }
    alerts.webhookFailures(count - samples.peekFirst()[1]);
    samples.add(new long[] {now, count});
  }
}
