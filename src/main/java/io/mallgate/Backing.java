package io.mallgate;

import io.mallgate.config.GatewayConfig;
import io.mallgate.metrics.GatewayMetrics;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.token.FileTokenStore;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenStore;
import io.mallgate.token.crypto.TokenCodecs;
import io.mallgate.webhook.FileLifecycleLedger;
import io.mallgate.webhook.FileWebhookLog;
import io.mallgate.webhook.LifecycleLedger;
import io.mallgate.webhook.RedisLifecycleLedger;
import io.mallgate.webhook.RedisWebhookLog;
import io.mallgate.webhook.WebhookLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;

/**
 * Where the gateway keeps its state: Redis (shared by every instance), or the embedded files (one instance only).
 *
 * @param store    the token store
 * @param webhooks the webhook log
 * @param lifecycle first sightings of app lifecycle events
 * @param redis    the Redis client, {@code null} in embedded mode
 * @param commands the Redis commands (deadlines, the in-flight gate, metrics), {@code null} in embedded mode
 */
record Backing(TokenStore store, WebhookLog webhooks, LifecycleLedger lifecycle, Redis redis, RedisCommands commands) {

  /** Whether the state is in Redis, shared with the other instances. */
  boolean shared() {
    return commands != null;
  }

  /** The embedded webhook log, which the embedded fan-out reads and tells what to keep; only without Redis. */
  FileWebhookLog fileLog() {
    if (webhooks instanceof FileWebhookLog file) {
      return file;
    }
    throw new IllegalStateException("the webhook log is a Redis stream");
  }

  /** Opens the embedded files, or creates the Redis client (it connects on its first command). */
  static Future<Backing> open(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics) {
    TokenCodec codec = TokenCodecs.from(config.tokens());
    if (!config.redis().enabled()) {
      return FileTokenStore.open(vertx, config.store().file(), codec)
          .compose(store -> FileWebhookLog.open(vertx, FileWebhookLog.beside(config.store().file()), config.webhook(),
                  clock)
              .compose(webhooks -> FileLifecycleLedger.open(vertx, config.store().file())
                  .map(ledger -> new Backing(store, webhooks, ledger, null, null))
                  .onFailure(failed -> webhooks.close()))
              .onFailure(failed -> store.close()));
    }
    Redis redis = RedisClientFactory.create(vertx, config.redis());
    // One pooled connection (per node) stays with the token-update subscriber; commands get the rest.
    RedisCommands commands = new RedisCommands(redis, config.redis().commandTimeout(),
        Math.max(1, config.redis().poolSize() - 1), metrics.redisCommands());
    return Future.succeededFuture(new Backing(new RedisTokenStore(commands, codec),
        new RedisWebhookLog(commands, config.webhook()), new RedisLifecycleLedger(commands), redis, commands));
  }
}
