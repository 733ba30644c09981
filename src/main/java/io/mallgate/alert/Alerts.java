package io.mallgate.alert;

import io.mallgate.config.GatewayConfig;
import io.mallgate.keepalive.KeepAliveListener;
import io.mallgate.redis.RedisCommands;
import io.mallgate.token.RefreshListener;
import io.mallgate.token.TokenRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: claims each one for {@code alerts.window} ({@link AlertDedup}: the first instance to claim sends it),
 * then writes the WARN line and queues it for each HTTP sink. Listens to the refresh protocol and the app lifecycle
 * (moves to {@code reauthorization_required}) and to the keep-alive (refresh tokens it could not renew); the periodic
 * {@link AlertChecks} report circuits and webhook failures. Every entry point returns at once: de-duplication and
 * delivery run in the background and never fail their caller. Thread-safe.
 */
public final class Alerts implements RefreshListener, KeepAliveListener {

  /** Operators can route this logger on its own (its own file, a pager). */
  private static final Logger ALERTS = LoggerFactory.getLogger("mallgate.alerts");
  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

  private final GatewayConfig.Alerts config;
  private final AlertDedup dedup;
  private final AlertTexts texts;
  private final Clock clock;
  private final List<DeliveryQueue> queues = new ArrayList<>();
  private final AtomicLong raised = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();

  private Alerts(GatewayConfig.Alerts config, AlertDedup dedup, AlertTexts texts, Clock clock) {
    this.config = config;
    this.dedup = dedup;
    this.texts = texts;
    this.clock = clock;
  }

  /**
   * @param redis      the shared Redis, or {@code null} for the embedded mode (de-duplication in memory)
   * @param client     the client the HTTP sinks POST with
   * @param installUrl the gateway's install URL for a mall
   */
  public static Alerts create(Vertx vertx, GatewayConfig.Alerts config, RedisCommands redis, WebClient client,
      Clock clock, UnaryOperator<String> installUrl) {
    MemoryAlertDedup memory = new MemoryAlertDedup(clock);
    Alerts alerts = new Alerts(config, redis == null ? memory : new RedisAlertDedup(redis, memory),
        new AlertTexts(installUrl), clock);
    GatewayConfig.AlertSinks sinks = config.sinks();
    if (!sinks.webhookUrl().isEmpty()) {
      HttpSink sink = new HttpSink(client, sinks.webhookUrl(), AlertPayloads::generic, config.delivery().timeout());
      alerts.queues.add(new DeliveryQueue(vertx, "webhook", sink::send, config.delivery()));
    }
    if (!sinks.slackUrl().isEmpty()) {
      HttpSink sink = new HttpSink(client, sinks.slackUrl(), AlertPayloads::slack, config.delivery().timeout());
      alerts.queues.add(new DeliveryQueue(vertx, "slack", sink::send, config.delivery()));
    }
    return alerts;
  }

  /**
   * Sends the alert unless an instance already did within the window.
   *
   * @return whether this call sent it (to the log and into the sinks' queues); never fails
   */
  public Future<Boolean> raise(Alert alert) {
    raised.incrementAndGet();
    return dedup.claim(alert, config.window()).map(first -> {
      if (first) {
        sent.incrementAndGet();
        if (config.sinks().log()) {
          ALERTS.warn("ALERT {}{}: {}", alert.condition(), alert.mall().isEmpty() ? "" : " mall=" + alert.mall(),
              alert.summary());
        }
        queues.forEach(queue -> queue.offer(alert));
      }
      return first;
    }).otherwise(failure -> {
      LOG.error("alert {} could not be raised", alert.condition(), failure);
      return false;
    });
  }

  /** Alerts this instance raised, sent or found sent already within the window. */
  public long raised() {
    return raised.get();
  }

  /** Alerts this instance sent (won the claim for). */
  public long sent() {
    return sent.get();
  }

  /** Alerts the HTTP sinks accepted, all sinks together. */
  public long delivered() {
    return queues.stream().mapToLong(DeliveryQueue::delivered).sum();
  }

  /** Stops the HTTP sinks' queues (at shutdown); alerts still waiting are dropped. */
  public void close() {
    queues.forEach(DeliveryQueue::close);
  }

  @Override
  public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
    raise(texts.reauthorization(mall, reauthorization, clock.instant()));
  }

  /** Alerts once the time left is under a threshold; the smallest threshold crossed tells the alert apart. */
  @Override
  public void notRenewed(String mall, Duration left, String reason) {
    Duration crossed = null;
    for (Duration threshold : config.refreshTokenThresholds()) { // largest first
      if (left.compareTo(threshold) < 0) {
        crossed = threshold;
      }
    }
    if (crossed != null) {
      raise(texts.expiring(mall, left, crossed, reason, clock.instant()));
    }
  }

  /** A mall's circuit has been open (or probing) for {@code sickFor}; alerts past {@code alerts.circuitOpenFor}. */
  void circuitSick(String mall, Duration sickFor) {
    if (sickFor.compareTo(config.circuitOpenFor()) >= 0) {
      raise(texts.circuitOpen(mall, sickFor, clock.instant()));
    }
  }

  /** {@code failures} webhooks failed verification within the configured window on this instance. */
  void webhookFailures(long failures) {
    if (failures >= config.webhookFailures().count()) {
      raise(texts.webhookFailures(failures, config.webhookFailures().window(), clock.instant()));
    }
  }
}
