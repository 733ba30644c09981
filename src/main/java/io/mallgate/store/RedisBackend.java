package io.mallgate.store;

import io.mallgate.alert.AlertDedup;
import io.mallgate.config.GatewayConfig;
import io.mallgate.health.EvictionPolicy;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.RedisLeadership;
import io.mallgate.metrics.GatewayMetrics;
import io.mallgate.oauth.RedisStateNonces;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.resilience.RateLimiters;
import io.mallgate.token.RedisRefreshLock;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.RedisTokenUpdates;
import io.mallgate.token.TokenStore;
import io.mallgate.token.crypto.TokenCodecs;
import io.mallgate.usage.AppUsage;
import io.mallgate.tracing.Tracing;
import io.mallgate.webhook.RedisLifecycleLedger;
import io.mallgate.webhook.RedisWebhookLog;
import io.mallgate.webhook.WebhookLog;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;

/**
 * The state in Redis, shared by every instance: tokens, the refresh lock and its announcements, install nonces,
 * keep-alive leadership, alert claims, the webhook stream and its consumer groups, dead letters, rate budgets, the
 * apps' usage of each mall (counted in memory, written in batches). The
 * client connects on its first command; readiness is a {@code PING}, with the eviction policy as an advisory.
 */
final class RedisBackend {

  private RedisBackend() {
  }

  static StateBackend create(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics,
      FanoutCounters fanoutCounters, Tracing tracing) {
    Redis redis = RedisClientFactory.create(vertx, config.redis());
    // One pooled connection (per node) stays with the token-update subscriber; commands get the rest.
    RedisCommands commands = new RedisCommands(redis, config.redis().commandTimeout(),
        Math.max(1, config.redis().poolSize() - 1), metrics.redisCommands());
    TokenStore tokens = new RedisTokenStore(commands, TokenCodecs.from(config.tokens()));
    WebhookLog webhooks = new RedisWebhookLog(commands, config.webhook());
    EvictionPolicy evictionPolicy = new EvictionPolicy();
    HealthRoutes health = HealthRoutes.redis(vertx, commands, config.redis().commandTimeout())
        .advisory("redis-eviction", evictionPolicy::warning);
    AppUsage appUsage = AppUsage.redis(vertx, commands, config.metrics().maxApps(), clock);
    return new StateBackend("Redis", tokens,
        new RedisRefreshLock(vertx, commands, config.tokens().lockLease()),
        new RedisTokenUpdates(vertx, redis, commands),
        new RedisStateNonces(commands),
        new RedisLeadership(vertx, commands, config.keepalive().leaderLease()),
        AlertDedup.redis(commands, clock),
        webhooks,
        new RedisLifecycleLedger(commands),
        Fanout.redis(vertx, config.webhook(), commands, config.redis().commandTimeout(), fanoutCounters, clock,
            tracing),
        rateLimit -> RateLimiters.create(vertx, rateLimit, commands),
        appUsage,
        health,
        () -> evictionPolicy.read(commands),
        // The apps' last counts go before the client does. The webhook log holds nothing of its own; closing the
        // token store closes the Redis client.
        () -> appUsage.close().eventually(webhooks::close).otherwiseEmpty().eventually(tokens::close)
            .otherwiseEmpty());
  }
}
