package io.mallgate.alert;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.keepalive.KeepAliveListener;
import io.mallgate.redis.RedisCommands;
import io.mallgate.token.ClientStanding;
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
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: claims each one for {@code alerts.window} ({@link AlertDedup}: the first instance to claim sends it),
 * then writes the WARN line and queues it for each HTTP sink. Listens to the refresh protocol and the app lifecycle
 * (moves to {@code reauthorization_required}), to the {@link ClientStanding} (Cafe24 refusing the gateway's client
 * credentials) and to the keep-alive (refresh tokens it could not renew); the periodic
 * {@link AlertChecks} report circuits and webhook failures. Every entry point returns at once: de-duplication and
 * delivery run in the background and never fail their caller. Thread-safe.
 *
 * <p><b>Reload.</b> The section is read per alert: a new window, threshold or {@code sinks.log} applies to the next
 * alert. When {@code sinks} or {@code delivery} changed, the next alert finds the HTTP sinks rebuilt (a new URL, a new
 * queue size); alerts still waiting for a replaced sink are dropped (its receiver may be the reason for the change).
 */
public final class Alerts implements RefreshListener, KeepAliveListener, ClientStanding.Watcher {

  /** Operators can route this logger on its own (its own file, a pager). */
  private static final Logger ALERTS = LoggerFactory.getLogger("mallgate.alerts");
  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

  private final Supplier<GatewayConfig.Alerts> config;
  private final AlertDedup dedup;
  private final AlertTexts texts;
  private final Clock clock;
  private final Vertx vertx;
  private final WebClient client;
  private final AtomicLong raised = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  /** Deliveries of sinks replaced by a reload, so {@link #delivered} never goes down. */
  private final AtomicLong deliveredBefore = new AtomicLong();
  private volatile Sinks sinks;
  private boolean closed;

  private Alerts(Supplier<GatewayConfig.Alerts> config, AlertDedup dedup, AlertTexts texts, Clock clock, Vertx vertx,
      WebClient client) {
    this.config = config;
    this.dedup = dedup;
    this.texts = texts;
    this.clock = clock;
    this.vertx = vertx;
    this.client = client;
    this.sinks = sinks(config.get());
  }

  /**
   * @param redis      the shared Redis, or {@code null} for the embedded mode (de-duplication in memory)
   * @param client     the client the HTTP sinks POST with
   * @param installUrl the gateway's install URL for a mall
   */
  public static Alerts create(Vertx vertx, GatewayConfig.Alerts config, RedisCommands redis, WebClient client,
      Clock clock, UnaryOperator<String> installUrl) {
    return create(vertx, Live.of(config), redis, client, clock, installUrl);
  }

  /** As above, reading the section from {@code config} per alert (a reload may replace it). */
  public static Alerts create(Vertx vertx, Supplier<GatewayConfig.Alerts> config, RedisCommands redis,
      WebClient client, Clock clock, UnaryOperator<String> installUrl) {
    MemoryAlertDedup memory = new MemoryAlertDedup(clock);
    return new Alerts(config, redis == null ? memory : new RedisAlertDedup(redis, memory), new AlertTexts(installUrl),
        clock, vertx, client);
  }

  /** As above, claiming each alert through {@code dedup} (the state backend's). */
  public static Alerts create(Vertx vertx, Supplier<GatewayConfig.Alerts> config, AlertDedup dedup,
      WebClient client, Clock clock, UnaryOperator<String> installUrl) {
    return new Alerts(config, dedup, new AlertTexts(installUrl), clock, vertx, client);
  }

  private Sinks sinks(GatewayConfig.Alerts section) {
    List<DeliveryQueue> queues = new ArrayList<>();
    GatewayConfig.AlertDelivery delivery = section.delivery();
    if (!section.sinks().webhookUrl().isEmpty()) {
      HttpSink sink = new HttpSink(client, section.sinks().webhookUrl(), AlertPayloads::generic, delivery.timeout());
      queues.add(new DeliveryQueue(vertx, "webhook", sink::send, delivery));
    }
    if (!section.sinks().slackUrl().isEmpty()) {
      HttpSink sink = new HttpSink(client, section.sinks().slackUrl(), AlertPayloads::slack, delivery.timeout());
      queues.add(new DeliveryQueue(vertx, "slack", sink::send, delivery));
    }
    return new Sinks(section.sinks(), delivery, List.copyOf(queues));
  }

  /** The HTTP sinks of {@code section}, rebuilt first when a reload changed them. */
  private List<DeliveryQueue> queues(GatewayConfig.Alerts section) {
    Sinks current = sinks;
    if (current.matches(section)) {
      return current.queues();
    }
    synchronized (this) {
      if (!closed && !sinks.matches(section)) {
        Sinks replaced = sinks;
        sinks = sinks(section);
        replaced.queues().forEach(queue -> {
          queue.close();
          deliveredBefore.addAndGet(queue.delivered());
        });
        LOG.info("alert sinks rebuilt from the reloaded configuration: {} HTTP sink(s)", sinks.queues().size());
      }
      return sinks.queues();
    }
  }

  /**
   * Sends the alert unless an instance already did within the window.
   *
   * @return whether this call sent it (to the log and into the sinks' queues); never fails
   */
  public Future<Boolean> raise(Alert alert) {
    raised.incrementAndGet();
    GatewayConfig.Alerts section = config.get();
    return dedup.claim(alert, section.window()).map(first -> {
      if (first) {
        sent.incrementAndGet();
        if (section.sinks().log()) {
          ALERTS.warn("ALERT {}{}: {}", alert.condition(), alert.mall().isEmpty() ? "" : " mall=" + alert.mall(),
              alert.summary());
        }
        queues(section).forEach(queue -> queue.offer(alert));
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
    return deliveredBefore.get() + sinks.queues().stream().mapToLong(DeliveryQueue::delivered).sum();
  }

  /** Stops the HTTP sinks' queues (at shutdown); alerts still waiting are dropped. */
  public synchronized void close() {
    closed = true;
    sinks.queues().forEach(DeliveryQueue::close);
  }

  @Override
  public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
    raise(texts.reauthorization(mall, reauthorization, clock.instant()));
  }

  @Override
  public void clientRejected(ClientStanding.Cause cause, String words) {
    raise(texts.clientRejected(cause.text(), words, clock.instant()));
  }

  /**
   * Alerts cannot be resolved (the sinks take one-off messages): the end of a refusal is a line on the alerts logger,
   * so whoever follows it sees the matching all-clear.
   */
  @Override
  public void clientAccepted(Duration lasted) {
    if (config.get().sinks().log()) {
      ALERTS.info("RESOLVED {}: Cafe24 accepts the gateway's client credentials again (refused for {})",
          AlertTexts.CLIENT_REJECTED, AlertTexts.human(lasted));
    }
  }

  /** Alerts once the time left is under a threshold; the smallest threshold crossed tells the alert apart. */
  @Override
  public void notRenewed(String mall, Duration left, String reason) {
    Duration crossed = null;
    for (Duration threshold : config.get().refreshTokenThresholds()) { // largest first
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
    if (sickFor.compareTo(config.get().circuitOpenFor()) >= 0) {
      raise(texts.circuitOpen(mall, sickFor, clock.instant()));
    }
  }

  /** {@code failures} webhooks failed verification within the configured window on this instance. */
  void webhookFailures(long failures) {
    GatewayConfig.WebhookFailures bound = config.get().webhookFailures();
    if (failures >= bound.count()) {
      raise(texts.webhookFailures(failures, bound.window(), clock.instant()));
    }
  }

  /** The HTTP sinks built from one {@code sinks} and {@code delivery} section. */
  private record Sinks(GatewayConfig.AlertSinks section, GatewayConfig.AlertDelivery delivery,
      List<DeliveryQueue> queues) {
    boolean matches(GatewayConfig.Alerts other) {
      return section.equals(other.sinks()) && delivery.equals(other.delivery());
    }
  }
}
