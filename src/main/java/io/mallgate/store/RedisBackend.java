package io.mallgate.store;

import io.mallgate.alert.AlertDedup;
import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.health.EvictionPolicy;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.Leadership;
import io.mallgate.keepalive.RedisLeadership;
import io.mallgate.metrics.GatewayMetrics;
import io.mallgate.oauth.RedisStateNonces;
import io.mallgate.oauth.StateNonces;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.resilience.RateLimiters;
import io.mallgate.token.RedisRefreshLock;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.RedisTokenUpdates;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.mallgate.token.crypto.TokenCodecs;
import io.mallgate.webhook.LifecycleLedger;
import io.mallgate.webhook.RedisLifecycleLedger;
import io.mallgate.webhook.RedisWebhookLog;
import io.mallgate.webhook.WebhookLog;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;

/**
 * The state in Redis, shared by every instance: tokens, the refresh lock and its announcements, install nonces,
 * keep-alive leadership, alert claims, the webhook stream and its consumer groups, dead letters, rate budgets. The
 * client connects on its first command; readiness is a {@code PING}.
 */
final class RedisBackend implements StateBackend {

  private final Vertx vertx;
  private final RedisCommands commands;
  private final TokenStore tokens;
  private final RefreshLock lock;
  private final TokenUpdates updates;
  private final StateNonces nonces;
  private final Leadership leadership;
  private final AlertDedup alertDedup;
  private final WebhookLog webhooks;
  private final LifecycleLedger lifecycle;
  private final Fanout fanout;
  private final EvictionPolicy evictionPolicy = new EvictionPolicy();
  private final HealthRoutes health;

  private RedisBackend(Vertx vertx, GatewayConfig config, Clock clock, Redis redis, RedisCommands commands,
      FanoutCounters fanoutCounters) {
    this.vertx = vertx;
    this.commands = commands;
    this.tokens = new RedisTokenStore(commands, TokenCodecs.from(config.tokens()));
    this.lock = new RedisRefreshLock(vertx, commands, config.tokens().lockLease());
    this.updates = new RedisTokenUpdates(vertx, redis, commands);
    this.nonces = new RedisStateNonces(commands);
    this.leadership = new RedisLeadership(vertx, commands, config.keepalive().leaderLease());
    this.alertDedup = AlertDedup.redis(commands, clock);
    this.webhooks = new RedisWebhookLog(commands, config.webhook());
    this.lifecycle = new RedisLifecycleLedger(commands);
    this.fanout = Fanout.redis(vertx, config.webhook(), commands, config.redis().commandTimeout(), fanoutCounters,
        clock);
    this.health = HealthRoutes.redis(vertx, commands, config.redis().commandTimeout());
    health.advisory("redis-eviction", evictionPolicy::warning);
  }

  static RedisBackend create(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics,
      FanoutCounters fanoutCounters) {
    Redis redis = RedisClientFactory.create(vertx, config.redis());
    // One pooled connection (per node) stays with the token-update subscriber; commands get the rest.
    RedisCommands commands = new RedisCommands(redis, config.redis().commandTimeout(),
        Math.max(1, config.redis().poolSize() - 1), metrics.redisCommands());
    return new RedisBackend(vertx, config, clock, redis, commands, fanoutCounters);
  }

  @Override
  public String name() {
    return "Redis";
  }

  @Override
  public TokenStore tokens() {
    return tokens;
  }

  @Override
  public RefreshLock refreshLock() {
    return lock;
  }

  @Override
  public TokenUpdates tokenUpdates() {
    return updates;
  }

  @Override
  public StateNonces stateNonces() {
    return nonces;
  }

  @Override
  public Leadership leadership() {
    return leadership;
  }

  @Override
  public AlertDedup alertDedup() {
    return alertDedup;
  }

  @Override
  public WebhookLog webhooks() {
    return webhooks;
  }

  @Override
  public LifecycleLedger lifecycle() {
    return lifecycle;
  }

  @Override
  public Fanout fanout() {
    return fanout;
  }

  @Override
  public RateLimiter rateLimiter(Live<GatewayConfig.RateLimit> config) {
    return RateLimiters.create(vertx, config, commands);
  }

  @Override
  public HealthRoutes health() {
    return health;
  }

  @Override
  public Future<Void> prepare() {
    return evictionPolicy.read(commands);
  }

  /** The webhook log holds nothing of its own; closing the token store closes the Redis client. */
  @Override
  public Future<Void> close() {
    return webhooks.close().otherwiseEmpty().eventually(tokens::close).otherwiseEmpty();
  }
}
