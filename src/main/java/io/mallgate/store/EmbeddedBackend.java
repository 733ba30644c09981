package io.mallgate.store;

import io.mallgate.alert.AlertDedup;
import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.Leadership;
import io.mallgate.oauth.MemoryStateNonces;
import io.mallgate.resilience.RateLimiters;
import io.mallgate.token.LocalRefreshLock;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenUpdates;
import io.mallgate.token.crypto.TokenCodecs;
import io.mallgate.usage.AppUsage;
import io.mallgate.tracing.Tracing;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a single instance without Redis: tokens, the webhook log, the lifecycle ledger, fan-out cursors and
 * dead letters in one SQLite database ({@link Sqlite}, see {@link StoreFiles} for where); the refresh lock, token
 * announcements, install nonces, leadership, alert claims, rate budgets and the apps' usage of each mall in this
 * process's memory, which is all one instance needs. Readiness: the database is open.
 */
final class EmbeddedBackend {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);

  /** The backend, and the database it keeps (tests look into it). */
  record Opened(StateBackend backend, Sqlite database) {
  }

  private EmbeddedBackend() {
  }

  /**
   * Opens the database (creating it), imports the files of the release before at the first start
   * ({@link LegacyImport}), and reads the webhook log's state. Fails with {@code token_store_unavailable} when the
   * database cannot be opened or a legacy file cannot be imported.
   */
  static Future<StateBackend> open(Vertx vertx, GatewayConfig config, Clock clock, FanoutCounters counters,
      Tracing tracing) {
    return openWithDatabase(vertx, config, clock, counters, tracing).map(Opened::backend);
  }

  static Future<Opened> openWithDatabase(Vertx vertx, GatewayConfig config, Clock clock, FanoutCounters counters,
      Tracing tracing) {
    StoreFiles files = StoreFiles.of(config.store().file());
    TokenCodec codec = TokenCodecs.from(config.tokens());
    LOG.warn("embedded store {} serves ONE gateway instance only; set redis.url to share state", files.database());
    return Sqlite.open(vertx, files.database())
        .compose(db -> db.call(sql -> {
          new LegacyImport(files, codec).run(sql);
          return null;
        }).compose(imported -> build(vertx, config, clock, db, codec, counters, tracing)) // on the caller's context
            .map(backend -> new Opened(backend, db))
            .onFailure(failed -> db.close()))
        .recover(failed -> {
          LOG.error("embedded store {} cannot be opened ({}: {})", files.database(),
              failed.getClass().getSimpleName(), failed.getMessage());
          return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
              "the embedded store cannot be opened"));
        });
  }

  /** Builds the collaborators over the open database; completes once the webhook log has read its state. */
  private static Future<StateBackend> build(Vertx vertx, GatewayConfig config, Clock clock, Sqlite db,
      TokenCodec codec, FanoutCounters counters, Tracing tracing) {
    SqliteTokenStore tokens = new SqliteTokenStore(db, codec, false);
    GatewayConfig.Webhook webhook = config.webhook();
    SqliteWebhookLog webhooks = new SqliteWebhookLog(db, clock, webhook.dedupWindow().toMillis(),
        webhook.streamMaxLength(), webhook.subscribers().keySet());
    SqliteDeadLetters deadLetters = new SqliteDeadLetters(db, webhook.streamMaxLength(), counters, clock);
    AppUsage appUsage = AppUsage.embedded(vertx, config.metrics().maxApps(), clock);
    StateBackend backend = new StateBackend("embedded", tokens,
        new LocalRefreshLock(),
        TokenUpdates.local(),
        new MemoryStateNonces(),
        Leadership.always(),
        AlertDedup.memory(clock),
        webhooks,
        new SqliteLifecycleLedger(db),
        Fanout.embedded(vertx, webhook, new SqliteFanoutQueue(db, deadLetters), counters, clock, tracing),
        rateLimit -> RateLimiters.create(vertx, rateLimit, null),
        appUsage,
        HealthRoutes.embedded(vertx, db::isOpen),
        Future::succeededFuture,
        // Refuses new work, then closes the database once the work already submitted is done.
        () -> appUsage.close().eventually(webhooks::close).eventually(tokens::close).eventually(db::close));
    return webhooks.start().map(started -> backend).onFailure(failed -> appUsage.close());
  }
}
