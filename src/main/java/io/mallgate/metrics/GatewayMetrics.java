package io.mallgate.metrics;

import io.mallgate.config.GatewayConfig;
import io.mallgate.keepalive.KeepAlive;
import io.mallgate.proxy.CoalesceCounters;
import io.mallgate.redis.CommandListener;
import io.mallgate.reload.ReloadCounters;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.token.RefreshListener;
import io.mallgate.webhook.WebhookCounters;
import io.mallgate.webhook.fanout.DeliveryListener;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mallgate.edge.RequestEnd;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * One gateway's metrics: owns its {@link PrometheusMeterRegistry} (never Micrometer's global one, so two gateways in
 * one JVM never mix their numbers) and binds the gateway's meters to it. Build it in the composition root with the
 * objects it reads; give {@link #requests()} to the edge ({@code EdgeGuard}) and {@link #mount} after the edge checks.
 *
 * <p>{@code GET /metrics} needs no token, like the proxy routes: Prometheus scrapes it from inside the network the
 * gateway must be bound to, and it holds no secret and no mall id. {@code metrics.enabled: false} leaves it off (404).
 * A scrape renders the registry on the event loop: a few dozen series, well under a millisecond.
 */
public final class GatewayMetrics {

  private final GatewayConfig.Metrics config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Strongly held for {@link #bindAccessLines}' function counter. */
  private java.util.function.LongSupplier accessLinesDropped;
  private final RequestMeters requests;
  private final RedisMeters redis = new RedisMeters();
  private final RefreshMeters refreshes = new RefreshMeters();
  private final FanoutMeters fanoutMeters = new FanoutMeters();

  public GatewayMetrics(GatewayConfig.Metrics config, GatewayConfig.Malls malls) {
    this.config = config;
    this.requests = new RequestMeters(config.mallLabel(), config.maxApps());
    requests.labelMallsFrom(malls::allow);
    requests.bindTo(registry);
    redis.bindTo(registry);
    refreshes.bindTo(registry);
    fanoutMeters.bindTo(registry);
  }

  /**
   * Binds the meters that read the gateway's parts. Call once, from the composition root, once those parts exist
   * (the Redis listener is needed before them, to build the Redis client's commands).
   */
  public void bind(MallBreakers breakers, WebhookCounters webhooks, FanoutCounters fanout, KeepAlive keepAlive) {
    new BreakerMeters(breakers).bindTo(registry);
    new WebhookMeters(webhooks, fanout).bindTo(registry);
    fanoutMeters.watch(fanout);
    new KeepAliveMeters(keepAlive).bindTo(registry);
  }

  /** Hears the refresh protocol, for {@code mallgate_refreshes_total} and the lock wait; nothing when off. */
  public RefreshListener refreshes() {
    return config.enabled() ? refreshes : new RefreshListener() { };
  }

  /** Hears each fan-out delivery, for {@code mallgate_webhook_fanout_delay_seconds}; nothing when off. */
  public DeliveryListener fanoutDeliveries() {
    return config.enabled() ? fanoutMeters : DeliveryListener.NONE;
  }

  /** Binds {@code mallgate_config_reloads_total}. Call once, from the composition root. */
  public void bindReloads(ReloadCounters reloads) {
    new ReloadMeters(reloads).bindTo(registry);
  }

  /** Binds the meters of GETs that share calls ({@code proxy.coalesce}). Call once, from the composition root. */
  public void bindCoalescing(CoalesceCounters coalescing) {
    new CoalesceMeters(coalescing).bindTo(registry);
  }

  /**
   * {@code mallgate_access_lines_dropped_total}: access lines the batched writer could not write (its queue full while
   * stdout was blocked, stdout failing, or lines ended after it closed).
   */
  public void bindAccessLines(java.util.function.LongSupplier dropped) {
    // A function counter holds its object weakly: this field keeps the supplier (often a fresh method reference).
    this.accessLinesDropped = dropped;
    io.micrometer.core.instrument.FunctionCounter.builder("mallgate.access.lines.dropped", dropped,
            java.util.function.LongSupplier::getAsLong)
        .description("Access lines the writer could not write (accessLog.output: stdout): its queue full while stdout"
            + " was blocked, stdout failing, or lines ended after it closed")
        .register(registry);
  }

  /** The registry in Prometheus' text format, as {@code GET /metrics} answers it (for tests). */
  String scrape() {
    return registry.scrape();
  }

  /** Labels requests by the malls {@code allow} gives now (the live allow-list, so a reload applies). */
  public void labelMallsFrom(java.util.function.Supplier<java.util.Set<String>> allow) {
    requests.labelMallsFrom(allow);
  }

  /** Hears every Redis command, for {@code mallgate_redis_command_*}; hears nothing when metrics are off. */
  public CommandListener redisCommands() {
    return config.enabled() ? redis : CommandListener.NONE;
  }

  /** Counts and times every request as it ends (when {@code metrics.enabled}; otherwise does nothing). */
  public RequestEnd requests() {
    return config.enabled() ? requests : (ctx, outcome, startNanos) -> { };
  }

  /** Serves {@code GET /metrics} in Prometheus' text format when {@code metrics.enabled}; otherwise does nothing. */
  public void mount(Router router) {
    if (config.enabled()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
  }
}
