package io.mallgate.store;

import io.mallgate.alert.AlertDedup;
import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.Leadership;
import io.mallgate.oauth.MemoryStateNonces;
import io.mallgate.oauth.StateNonces;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.resilience.RateLimiters;
import io.mallgate.token.LocalRefreshLock;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.mallgate.token.crypto.TokenCodecs;
import io.mallgate.webhook.LifecycleLedger;
import io.mallgate.webhook.WebhookLog;
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
 * announcements, install nonces, leadership, alert claims and rate budgets in this process's memory, which is all one
 * instance needs. Readiness: the database is open.
 */
final class EmbeddedBackend implements StateBackend {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);

  private final Vertx vertx;
  private final Sqlite db;
  private final SqliteTokenStore tokens;
  private final SqliteWebhookLog webhooks;
  private final LifecycleLedger lifecycle;
  private final Fanout fanout;
  private final RefreshLock lock = new LocalRefreshLock();
  private final TokenUpdates updates = TokenUpdates.local();
  private final StateNonces nonces = new MemoryStateNonces();
  private final AlertDedup alertDedup;
  private final HealthRoutes health;

  private EmbeddedBackend(Vertx vertx, GatewayConfig config, Clock clock, Sqlite db, TokenCodec codec,
      FanoutCounters fanoutCounters) {
    this.vertx = vertx;
    this.db = db;
    this.tokens = new SqliteTokenStore(db, codec, false);
    GatewayConfig.Webhook webhook = config.webhook();
    this.webhooks = new SqliteWebhookLog(db, clock, webhook.dedupWindow().toMillis(), webhook.streamMaxLength(),
        webhook.subscribers().keySet());
    this.lifecycle = new SqliteLifecycleLedger(db);
    SqliteDeadLetters deadLetters = new SqliteDeadLetters(db, webhook.streamMaxLength(), fanoutCounters, clock);
    this.fanout = Fanout.embedded(vertx, webhook, new SqliteFanoutQueue(db, deadLetters), fanoutCounters, clock);
    this.alertDedup = AlertDedup.memory(clock);
    this.health = HealthRoutes.embedded(vertx, db::isOpen);
  }

  /**
   * Opens the database (creating it), imports the files of the release before at the first start
   * ({@link LegacyImport}), and reads the webhook log's state. Fails with {@code token_store_unavailable} when the
   * database cannot be opened or a legacy file cannot be imported.
   */
  static Future<EmbeddedBackend> open(Vertx vertx, GatewayConfig config, Clock clock, FanoutCounters counters) {
    StoreFiles files = StoreFiles.of(config.store().file());
    TokenCodec codec = TokenCodecs.from(config.tokens());
    LOG.warn("embedded store {} serves ONE gateway instance only; set redis.url to share state", files.database());
    return Sqlite.open(vertx, files.database())
        .compose(db -> db.call(sql -> {
          new LegacyImport(files, codec).run(sql);
          return null;
        }).map(imported -> new EmbeddedBackend(vertx, config, clock, db, codec, counters)) // on the caller's context
            .compose(backend -> backend.webhooks.start().map(backend))
            .onFailure(failed -> db.close()))
        .recover(failed -> {
          LOG.error("embedded store {} cannot be opened ({}: {})", files.database(),
              failed.getClass().getSimpleName(), failed.getMessage());
          return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
              "the embedded store cannot be opened"));
        });
  }

  /** The database (tests look into it). */
  Sqlite database() {
    return db;
  }

  @Override
  public String name() {
    return "embedded";
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
    return Leadership.always();
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
    return RateLimiters.create(vertx, config, null);
  }

  @Override
  public HealthRoutes health() {
    return health;
  }

  @Override
  public Future<Void> prepare() {
    return Future.succeededFuture();
  }

  /** Refuses new work, then closes the database once the work already submitted is done. */
  @Override
  public Future<Void> close() {
    return webhooks.close().eventually(tokens::close).eventually(db::close);
  }
}
