package io.mallgate;

import io.mallgate.admin.AdminRoutes;
import io.mallgate.admin.RecentErrors;
import io.mallgate.alert.AlertChecks;
import io.mallgate.alert.Alerts;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLine;
import io.mallgate.edge.AccessLineWriter;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.ClosingConnections;
import io.mallgate.edge.EdgeGuard;
import io.mallgate.edge.FrontDoor;
import io.mallgate.edge.FailureRenderer;
import io.mallgate.concurrent.OwningContext;
import io.mallgate.health.HealthRoutes;
import io.mallgate.keepalive.KeepAlive;
import io.mallgate.metrics.GatewayMetrics;
import io.mallgate.oauth.AppLaunchVerifier;
import io.mallgate.oauth.OAuthRoutes;
import io.mallgate.oauth.StateNonces;
import io.mallgate.proxy.CoalesceCounters;
import io.mallgate.proxy.Coalescing;
import io.mallgate.proxy.ProxyHandler;
import io.mallgate.reload.LiveConfig;
import io.mallgate.reload.ReloadOutcome;
import io.mallgate.resilience.BodyMemory;
import io.mallgate.resilience.ConcurrencyLimits;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.store.StateBackend;
import io.mallgate.token.ClientStanding;
import io.mallgate.token.InstallHints;
import io.mallgate.token.RefreshListener;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.TokenRefresher;
import io.mallgate.token.TokenService;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.mallgate.tracing.Tracing;
import io.mallgate.webhook.AppLifecycle;
import io.mallgate.webhook.WebhookCounters;
import io.mallgate.webhook.WebhookLog;
import io.mallgate.webhook.WebhookRoutes;
import io.mallgate.webhook.fanout.DeadLetterRoutes;
import io.mallgate.webhook.fanout.Fanout;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the whole object graph from one validated {@link GatewayConfig} — Redis or the
 * embedded store, the pooled upstream client, the token service, the routes — and starts the HTTP server. Nothing
 * else creates services; everything receives what it needs through its constructor.
 *
 * <p>Call {@link #start} on the Vert.x context that should own the gateway (the verticle's): the embedded store is
 * confined to it.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final AtomicInteger RANDOM_PORTS = new AtomicInteger();

  private final GatewayConfig config;
  private final Vertx vertx;
  private final Clock clock;
  private final TokenStore store;
  private final StateNonces stateNonces;
  private final RefreshLock lock;
  private final TokenUpdates updates;
  private final WebClient oauthClient;
  private final InstallHints hints;
  private final TokenEndpoint endpoint;
  /** Whether Cafe24 accepts our client credentials: told by the endpoint, read by refresher, readiness and alerts. */
  private final ClientStanding standing;
  /** Body bytes held in memory, all event loops together (ProxyHandler.bodyMemory). */
  private final BodyMemory bodyMemory;
  /** The GET calls in flight that identical GETs on any event loop may share. */
  private final Coalescing coalescing;
  private final ClosingConnections closing;
  private final FailureRenderer renderer;
  private final TokenRefresher refresher;
  private final TokenService tokens;
  private final RateLimiter rateLimiter;
  private final MallBreakers breakers;
  private final ConcurrencyLimits concurrency;
  private final WebhookLog webhooks;
  private final WebhookCounters webhookCounters = new WebhookCounters();
  /** One for every loop's router, so that its start-up warning is logged once. */
  private final WebhookRoutes webhookRoutes;
  /** Routes of the sandbox ({@code --sandbox}), mounted after the gateway's own; none otherwise. */
  private final GatewayExtension extension;
  private final GatewayMetrics metrics;
  private final FanoutCounters fanoutCounters;
  private final Fanout fanout;
  private final HealthRoutes health;
  /** Where the state is, and every collaborator that depends on it (Redis or embedded: nothing else asks). */
  private final StateBackend backend;
  private final KeepAlive keepAlive;
  private final Alerts alerts;
  private final AlertChecks alertChecks;
  private final RecentErrors recentErrors;
  private final LiveConfig live;
  /** Traces: {@link Tracing#OFF} unless {@code tracing.otlpEndpoint} is set. Closed last, after everything it traces. */
  private final Tracing tracing;
  /** Where access lines go ({@code accessLog.output}); {@code null}: none. */
  private final Consumer<AccessLine> accessLines;
  /** The batched writer behind {@link #accessLines} for {@code stdout}; closed last, so the last lines are written. */
  private final AccessLineWriter accessWriter;
  /** The context the gateway was built on: the keep-alive, the alert checks and the fan-out are confined to it. */
  private final OwningContext home;
  /** One per event loop, all on the same port; filled once while starting. */
  private final List<ServerLoop> loops = new CopyOnWriteArrayList<>();
  private Future<Void> stopped;

  private Gateway(Vertx vertx, GatewayConfig config, Clock clock, StateBackend backend, FanoutCounters fanoutCounters,
      GatewayMetrics metrics, Tracing tracing, GatewayExtension extension) {
    this.fanoutCounters = fanoutCounters;
    this.tracing = tracing;
    this.vertx = vertx;
    this.extension = extension;
    this.home = OwningContext.current(vertx);
    this.metrics = metrics;
    this.backend = backend;
    this.webhooks = backend.webhooks();
    this.config = config;
    this.live = new LiveConfig(vertx, config);
    this.clock = clock;
    this.closing = new ClosingConnections(vertx);
    this.bodyMemory = ProxyHandler.bodyMemory(config.proxy());
    this.coalescing = new Coalescing(config.proxy(), bodyMemory);
    this.renderer = new FailureRenderer(closing);
    this.store = backend.tokens();
    this.stateNonces = backend.stateNonces();
    this.lock = backend.refreshLock();
    this.updates = backend.tokenUpdates();
    this.oauthClient = Transports.oauthClient(vertx, config.proxy());
    this.hints = new InstallHints(mall -> OAuthRoutes.installUrl(config.cafe24().redirectUri(), mall));
    this.standing = new ClientStanding(clock);
    this.endpoint = new TokenEndpoint(oauthClient, config.cafe24(), config.oauth().exchangeTimeout(), standing);
    this.alerts = Alerts.create(vertx, live.alerts(), backend.alertDedup(), oauthClient, clock, hints::installUrl);
    standing.watch(alerts);
    live.afterEachApply(standing::retryNow);
    GatewayConfig.Tokens timing = config.tokens();
    this.refresher = new TokenRefresher(vertx, store, lock, endpoint, updates,
        RefreshListener.both(metrics.refreshes(), alerts), clock,
        timing.refreshWait(), hints, tracing);
    this.tokens = new TokenService(store, refresher, updates, hints, clock, timing.cacheTtl(),
        timing.refreshBefore(), timing.refreshWait(), timing.minRefreshInterval());
    this.rateLimiter = backend.rateLimiter(live.rateLimit());
    this.breakers = new MallBreakers(vertx, live.breaker(), clock);
    this.concurrency = new ConcurrencyLimits(config.proxy().maxConcurrentPerMall(), config.proxy().maxConcurrent(),
        rateLimiter::estimateMillis);
    this.fanout = backend.fanout();
    this.recentErrors = new RecentErrors(clock);
    this.health = backend.health();
    health.check("cafe24-client", standing::downReason);
    this.keepAlive = new KeepAlive(vertx, config.keepalive(), store, refresher::refresh, backend.leadership(), clock,
        alerts);
    metrics.bind(breakers, webhookCounters, fanoutCounters, keepAlive);
    metrics.bindReloads(live.counters());
    metrics.bindCoalescing(coalescing.counters());
    GatewayConfig.AccessLog access = config.accessLog();
    this.accessWriter = access.output().equals("stdout")
        ? new AccessLineWriter(access.json(), System.out, access.flushInterval()) : null;
    this.accessLines = access.output().equals("logger") ? AccessLog.toLogger() : accessWriter;
    metrics.bindAccessLines(accessWriter == null ? () -> 0 : accessWriter::dropped);
    metrics.labelMallsFrom(() -> live.malls().get().allow());
    this.alertChecks = new AlertChecks(vertx, live.alerts(), alerts, breakers::sickMalls,
        webhookCounters::unverifiedCount);
    this.webhookRoutes = new WebhookRoutes(vertx, config.webhook(), webhooks,
        new AppLifecycle(store, updates, clock, alerts, backend.lifecycle()), webhookCounters, clock, tracing);
  }

  /** Builds the graph and listens. Fails when the port cannot be bound or the embedded store cannot be opened. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    return start(vertx, config, clock, GatewayExtension.NONE);
  }

  /**
   * As {@link #start(Vertx, GatewayConfig, Clock)}, with routes of the caller's (the sandbox's sample webhooks)
   * mounted on every event loop's router after the gateway's own, before the error rendering.
   */
  static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock, GatewayExtension extension) {
    // On a worker: a cold JVM's first Prometheus registry loads its classes and properties, which can hold a thread
    // for seconds on a busy machine; so does the OpenTelemetry SDK's, when tracing is on.
    return vertx.executeBlocking(() -> new GatewayMetrics(config.metrics(), config.malls()))
        .compose(metrics -> tracing(vertx, config.tracing())
            .compose(tracing -> open(vertx, config, clock, extension, metrics, tracing)));
  }

  /** Off: nothing is built. On: the SDK, built on a worker. */
  private static Future<Tracing> tracing(Vertx vertx, GatewayConfig.Tracing config) {
    return config.enabled() ? vertx.executeBlocking(() -> Tracing.create(vertx, config))
        : Future.succeededFuture(Tracing.OFF);
  }

  private static Future<Gateway> open(Vertx vertx, GatewayConfig config, Clock clock, GatewayExtension extension,
      GatewayMetrics metrics, Tracing tracing) {
    FanoutCounters fanoutCounters = new FanoutCounters(config.webhook().subscribers().keySet(), clock,
        metrics.fanoutDeliveries());
    return StateBackend.open(vertx, config, clock, metrics, fanoutCounters, tracing)
        // No gateway to close yet: the exporter's thread is stopped here.
        .recover(failed -> tracing.close().transform(closed -> Future.failedFuture(failed)))
        .compose(backend -> new Gateway(vertx, config, clock, backend, fanoutCounters, metrics, tracing, extension)
            .deliverAndListen());
  }

  // Fan-out first: a new subscriber starts at the stream's (log's) end, which must be fixed before the first event.
  private Future<Gateway> deliverAndListen() {
    // A gateway that cannot listen (the port is taken) gives back what it opened: connections, files, the store.
    // The whole stop, not just a release: some loops may listen already, and Vert.x undeploying them later must find
    // the same, finished stop.
    return backend.prepare().compose(prepared -> fanout.start())
        .compose(started -> extension.beforeListen(this))
        .compose(prepared -> listen())
        .recover(failed -> close().transform(stopped -> Future.failedFuture(failed)));
  }

  /** The port the gateway listens on (useful with {@code server.port: 0}). */
  public int port() {
    return loops.get(0).port();
  }

  /** The public listener's port ({@code server.publicPort}), or 0 when it is off. */
  public int publicPort() {
    return loops.get(0).publicPort();
  }

  public TokenService tokens() {
    return tokens;
  }

  /** Body bytes held now, all event loops together (back to 0 once every exchange has ended). */
  public long bodyBytesHeld() {
    return bodyMemory.held();
  }


  /** What became of the GETs that shared a call ({@code proxy.coalesce}), and how many wait now. */
  public CoalesceCounters coalesced() {
    return coalescing.counters();
  }

  public WebhookCounters webhookCounters() {
    return webhookCounters;
  }

  public FanoutCounters fanoutCounters() {
    return fanoutCounters;
  }

  public KeepAlive keepAlive() {
    return keepAlive;
  }

  public Alerts alerts() {
    return alerts;
  }

  /** The gateway's traces ({@link Tracing#OFF} unless {@code tracing.otlpEndpoint} is set). */
  public Tracing tracing() {
    return tracing;
  }

  /** The routes as mounted (tests check the admin API's description against them). */
  public java.util.List<io.vertx.ext.web.Route> routes() {
    return loops.get(0).router().getRoutes();
  }

  /** The configuration as it may change while running; {@link LiveConfig#watch} reloads from a file. */
  public LiveConfig liveConfig() {
    return live;
  }

  /** Takes the reloadable sections of a validated configuration over ({@link LiveConfig#apply}). Thread-safe. */
  public ReloadOutcome reload(GatewayConfig candidate) {
    return live.apply(candidate);
  }

  /**
   * Stops gracefully. The server stops accepting at once and lets the requests in flight finish for up to
   * {@code server.shutdownGrace} (a keep-alive connection is closed once its request is answered; one still busy
   * when the grace ends is cut). Refreshes in flight get the same time, so that no redeemed pair is lost with the
   * process; any refresh lock still held after that is released, so other instances need not wait out its lease.
   * Then the clients, the announcements, the webhook log and the store (Redis) are closed, and last the traces are
   * exported and their exporter stopped (within 5 s, off the event loop). The keep-alive stops first
   * (no new refresh starts; it gives its lead up). Readiness reports {@code shutdown: DOWN} from the first moment, to
   * any probe that still gets through. Never fails; called again, returns the same stop.
   */
  public synchronized Future<Void> close() {
    if (stopped == null) {
      // On the gateway's own context: the first caller is usually a loop being undeployed, on its event loop, and
      // the keep-alive, the alert checks and the fan-out keep their state there.
      stopped = home.run(this::stop);
    }
    return stopped;
  }

  private Future<Void> stop() {
    // First of all: a probe that still reaches us (a kept-alive connection) must steer traffic elsewhere.
    health.stopping();
    long grace = config.server().shutdownGrace().toMillis();
    LOG.info("Mallgate stopping: {} request(s) in flight get up to {} ms to finish", concurrency.inFlight(), grace);
    Future<Void> keepAliveStopped = keepAlive.stop();
    alertChecks.stop();
    live.stopWatching();
    Future<Void> drained = Future.join(loops.stream().map(loop -> loop.drain(grace)).toList()).mapEmpty();
    Future<Void> settled = refresher.settle().timeout(grace, TimeUnit.MILLISECONDS).otherwiseEmpty();
    // Deliveries in flight finish (or stay pending for a later delivery) before Redis is closed under them.
    Future<Void> delivered = fanout.close(grace);
    return Future.join(drained, settled, delivered, keepAliveStopped)
        .transform(done -> release())
        .transform(done -> {
          LOG.info("Mallgate stopped");
          return Future.succeededFuture();
        });
  }

  /**
   * The port the loops listen on. Vert.x shares a port among servers that ask for the same one, except port 0: each
   * of those binds a random port of its own. A negative port is Vert.x's way to share one random port; each gateway
   * takes its own number, so that two gateways in one Vert.x (tests do that) never share a server.
   */
  private static int sharedPort(int configured) {
    return configured != 0 ? configured : -RANDOM_PORTS.incrementAndGet();
  }

  /**
   * Releases held locks, then closes the announcements, the clients, the webhook log and the store; then exports the
   * last spans and stops tracing. Never fails.
   */
  private Future<Void> release() {
    return lock.releaseHeld().<Void>mapEmpty().otherwiseEmpty()
        .eventually(updates::close)
        .eventually(() -> Future.join(loops.stream().map(ServerLoop::closeClient).toList()))
        .eventually(() -> {
          alerts.close();
          oauthClient.close();
          return Future.succeededFuture();
        })
        .eventually(backend::close)
        .eventually(tracing::close)
        .eventually(() -> accessWriter == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> { // joins the writer's thread: its last batch
              accessWriter.close();
              return null;
            }))
        .otherwiseEmpty();
  }

  private Router router(HttpClient upstream) {
    Router router = Router.router(vertx);
    tracing.mount(router); // first: the server span covers every handler after it
    // One handler that every request crosses, with one end handler for all that learn of each request once it is
    // over; the proxy's route (the hot path) comes right after it.
    router.route().handler(new EdgeGuard(List.of(
        backend.appUsage(),         // which app called which mall
        metrics.requests(),
        recentErrors,               // the admin API's recent errors per mall, bounded
        new AccessLog(accessLines))));
    router.route("/malls/*")
        .handler(new ProxyHandler(upstream, tokens, rateLimiter, breakers, concurrency, bodyMemory, coalescing, config,
            live.malls(), tracing));
    health.mount(router);
    webhookRoutes.mount(router);
    metrics.mount(router);
    new OAuthRoutes(config, stateNonces, endpoint, tokens,
        new AppLaunchVerifier(config.cafe24().clientSecret(), config.oauth().launchMaxAge(), clock), live.malls(),
        clock).mount(router);
    new AdminRoutes(config, tokens, store, lock, endpoint, clock, hints, breakers, rateLimiter, recentErrors,
        backend.appUsage(), vertx).mount(router);
    if (config.admin().enabled() && fanout.active()) {
      new DeadLetterRoutes(fanout).mount(router); // after AdminRoutes: its /admin/* guard covers these
    }
    extension.mount(router);
    router.route().failureHandler(renderer);
    router.errorHandler(404, renderer);
    router.errorHandler(405, renderer);
    router.errorHandler(500, renderer);
    return router;
  }

  /**
   * Deploys one {@link ServerLoop} per event loop — from the gateway's context, so they are children of its
   * verticle — and once all are ready, they listen. Nothing is accepted before every loop has its router, so a first
   * caller never waits for a loop still building.
   */
  private Future<Gateway> listen() {
    List<ServerLoop> all = IntStream.range(0, config.server().eventLoops())
        .mapToObj(i -> new ServerLoop(config, upstream -> new FrontDoor(router(upstream), closing, renderer),
            this::close))
        .toList();
    loops.addAll(all);
    int port = sharedPort(config.server().port());
    // join, not all: on a failure every loop has finished trying, so close() finds each one it must release.
    return Future.join(all.stream().map(vertx::deployVerticle).toList())
        .compose(deployed -> Future.join(all.stream().map(loop -> loop.listen(port)).toList()))
        // Back on the gateway's context: the timers the keep-alive and the alert checks start belong there.
        .compose(listening -> home.run(() -> {
          keepAlive.start();
          alertChecks.start();
          LOG.info("Mallgate listening on {}:{} ({} store, {} event loop(s), {} transport)", config.server().host(),
              port(), backend.name(), loops.size(),
              vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
          if (config.server().publicListener()) {
            LOG.info("Public listener on {}:{}: install, callback, webhooks and liveness only",
                config.server().publicHost(), publicPort());
          }
          return Future.succeededFuture(this);
        }));
  }

}
