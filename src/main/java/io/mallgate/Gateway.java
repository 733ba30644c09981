package io.mallgate;

import io.mallgate.admin.AdminRoutes;
import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.EdgeGuard;
import io.mallgate.error.FailureRenderer;
import io.mallgate.oauth.AppLaunchVerifier;
import io.mallgate.oauth.MemoryStateStore;
import io.mallgate.oauth.OAuthRoutes;
import io.mallgate.oauth.RedisStateStore;
import io.mallgate.oauth.StateStore;
import io.mallgate.proxy.ProxyHandler;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.token.FileTokenStore;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.TokenService;
import io.mallgate.token.TokenStore;
import io.mallgate.token.crypto.TokenCodecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.function.Function;
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

  private final GatewayConfig config;
  private final TokenStore store;
  private final TokenService tokens;
  private final HttpClientAgent upstream;
  private final WebClient oauthClient;
  private HttpServer server;

  private Gateway(GatewayConfig config, TokenStore store, HttpClientAgent upstream, WebClient oauthClient) {
    this.config = config;
    this.store = store;
    this.tokens = new TokenService(store, config.tokens().cacheTtl());
    this.upstream = upstream;
    this.oauthClient = oauthClient;
  }

  /** Builds the graph and listens. Fails when the port cannot be bound or the embedded store cannot be opened. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    TokenCodec codec = TokenCodecs.from(config.tokens());
    RedisCommands redis = config.redis().enabled()
        ? new RedisCommands(RedisClientFactory.create(vertx, config.redis()), config.redis().commandTimeout())
        : null;
    Future<TokenStore> store = redis != null
        ? Future.succeededFuture(new RedisTokenStore(redis, codec))
        : FileTokenStore.open(vertx, config.store().file(), codec).map(TokenStore.class::cast);
    StateStore states = redis != null ? new RedisStateStore(redis) : new MemoryStateStore();
    return store.compose(opened -> {
      Gateway gateway = new Gateway(config, opened, upstreamClient(vertx, config), oauthClient(vertx, config));
      return gateway.listen(vertx, gateway.router(vertx, states, clock));
    });
  }

  /** The port the gateway listens on (useful with {@code server.port: 0}). */
  public int port() {
    return server.actualPort();
  }

  public TokenService tokens() {
    return tokens;
  }

  /** Stops listening, then closes the clients and the store. */
  public Future<Void> close() {
    Future<Void> stopped = server == null ? Future.succeededFuture() : server.close();
    return stopped
        .eventually(() -> upstream.close())
        .eventually(() -> {
          oauthClient.close();
          return Future.succeededFuture();
        })
        .eventually(store::close);
  }

  private Router router(Vertx vertx, StateStore states, Clock clock) {
    Function<String, String> installUrl = mall -> OAuthRoutes.installUrl(config.cafe24().redirectUri(), mall);
    TokenEndpoint endpoint = new TokenEndpoint(oauthClient, config.cafe24(), config.oauth().exchangeTimeout());
    FailureRenderer renderer = new FailureRenderer();
    Router router = Router.router(vertx);
    router.route().handler(new AccessLog());
    router.route().handler(new EdgeGuard());
    router.route("/malls/*").handler(new ProxyHandler(upstream, tokens, config, installUrl));
    new OAuthRoutes(config, states, endpoint, tokens,
        new AppLaunchVerifier(config.cafe24().clientSecret(), config.oauth().launchMaxAge(), clock)).mount(router);
    new AdminRoutes(config, tokens, endpoint, clock, installUrl).mount(router);
    router.route().failureHandler(renderer);
    router.errorHandler(404, renderer);
    router.errorHandler(405, renderer);
    router.errorHandler(500, renderer);
    return router;
  }

  private Future<Gateway> listen(Vertx vertx, Router router) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setHandle100ContinueAutomatically(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false);
    return vertx.createHttpServer(options).requestHandler(router).listen().map(listening -> {
      this.server = listening;
      LOG.info("Mallgate listening on {}:{} ({} store)", config.server().host(), listening.actualPort(),
          config.redis().enabled() ? "Redis" : "embedded");
      return this;
    });
  }

  private static HttpClientAgent upstreamClient(Vertx vertx, GatewayConfig config) {
    GatewayConfig.Proxy proxy = config.proxy();
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) proxy.connectTimeout().toMillis())
        .setDecompressionSupported(false)
        .setForceSni(true)
        .setVerifyHost(true);
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(proxy.poolSize())
        .setMaxWaitQueueSize(proxy.poolWaitQueue());
    return vertx.httpClientBuilder().with(options).with(pool).build();
  }

  private static WebClient oauthClient(Vertx vertx, GatewayConfig config) {
    return WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("Mallgate")
        .setFollowRedirects(false)
        .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
        .setForceSni(true)
        .setVerifyHost(true));
  }
}
