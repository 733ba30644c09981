package io.mallgate.store;

import io.mallgate.alert.AlertDedup;
import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.Leadership;
import io.mallgate.metrics.GatewayMetrics;
import io.mallgate.oauth.StateNonces;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.mallgate.usage.AppUsage;
import io.mallgate.tracing.Tracing;
import io.mallgate.webhook.LifecycleLedger;
import io.mallgate.webhook.WebhookLog;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the gateway keeps its state, and every collaborator that depends on it: built by {@link RedisBackend}
 * (shared by every instance) or {@link EmbeddedBackend} (SQLite, one instance only). The composition root picks one
 * with {@link #open}; nothing else asks which. Immutable: each accessor returns the same object every time.
 *
 * @param name         "Redis" or "embedded", for the start-up line
 * @param stateNonces  the install states' nonces, each usable once
 * @param leadership   which instance runs the keep-alive
 * @param fanout       the fan-out of {@code webhook.subscribers}, with its cursors (consumer groups) and dead letters
 * @param rateLimiters the rate limiter over a (reloadable) {@code rateLimit} section; see {@link #rateLimiter}
 * @param appUsage     which app called each mall, over the last hour: counted in memory, shared through Redis
 * @param health       the health routes, with this backend's readiness check (and advisories)
 * @param preparation  what must be done before listening; see {@link #prepare}
 * @param closing      see {@link #close}
 */
public record StateBackend(String name, TokenStore tokens, RefreshLock refreshLock, TokenUpdates tokenUpdates,
    StateNonces stateNonces, Leadership leadership, AlertDedup alertDedup, WebhookLog webhooks,
    LifecycleLedger lifecycle, Fanout fanout, Function<Live<GatewayConfig.RateLimit>, RateLimiter> rateLimiters,
    AppUsage appUsage, HealthRoutes health, Supplier<Future<Void>> preparation, Supplier<Future<Void>> closing) {

  /**
   * Redis when {@code redis.url} is set, else the embedded database at {@code store.file}.
   *
   * @param tracing where the fan-out's deliveries start their spans
   */
  public static Future<StateBackend> open(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics,
      FanoutCounters fanoutCounters, Tracing tracing) {
    return config.redis().enabled()
        ? Future.succeededFuture(RedisBackend.create(vertx, config, clock, metrics, fanoutCounters, tracing))
        : EmbeddedBackend.open(vertx, config, clock, fanoutCounters, tracing);
  }

  /** The rate limiter over the (reloadable) {@code rateLimit} section. Call once, on the gateway's context. */
  public RateLimiter rateLimiter(Live<GatewayConfig.RateLimit> config) {
    return rateLimiters.apply(config);
  }

  /** What must be done before listening (with Redis: read its eviction policy). Never fails. */
  public Future<Void> prepare() {
    return preparation.get();
  }

  /**
   * Writes the apps' last counts, then closes the webhook log, the token store and what they share (the database or
   * the Redis client). Never fails.
   */
  public Future<Void> close() {
    return closing.get();
  }
}
