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
import io.mallgate.webhook.LifecycleLedger;
import io.mallgate.webhook.WebhookLog;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Where the gateway keeps its state, and every collaborator that depends on it: {@link RedisBackend} (shared by every
 * instance) or {@link EmbeddedBackend} (SQLite, one instance only). The composition root picks one with {@link #open};
 * nothing else asks which. Each accessor returns the same object every time.
 */
public interface StateBackend {

  /** Redis when {@code redis.url} is set, else the embedded database at {@code store.file}. */
  static Future<StateBackend> open(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics,
      FanoutCounters fanoutCounters) {
    return config.redis().enabled()
        ? Future.succeededFuture(RedisBackend.create(vertx, config, clock, metrics, fanoutCounters))
        : EmbeddedBackend.open(vertx, config, clock, fanoutCounters).map(backend -> backend);
  }

  /** "Redis" or "embedded", for the start-up line. */
  String name();

  TokenStore tokens();

  RefreshLock refreshLock();

  TokenUpdates tokenUpdates();

  /** The install states' nonces, each usable once. */
  StateNonces stateNonces();

  /** Which instance runs the keep-alive. */
  Leadership leadership();

  AlertDedup alertDedup();

  WebhookLog webhooks();

  LifecycleLedger lifecycle();

  /** The fan-out of {@code webhook.subscribers}, with its cursors (consumer groups) and dead letters. */
  Fanout fanout();

  /** The rate limiter over the (reloadable) {@code rateLimit} section. Call once, on the gateway's context. */
  RateLimiter rateLimiter(Live<GatewayConfig.RateLimit> config);

  /** The health routes, with this backend's readiness check (and advisories). */
  HealthRoutes health();

  /** What must be done before listening (with Redis: read its eviction policy). Never fails. */
  Future<Void> prepare();

  /** Closes the webhook log, the token store and what they share (the database or the Redis client). Never fails. */
  Future<Void> close();
}
