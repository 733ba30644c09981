package io.mallgate.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Cafe24 on loopback: OAuth (authorize, token, revoke), a small Admin API and a small Front API
 * ({@link FrontGate}), with Cafe24's token rotation, Korea-time timestamps, error shapes and per-mall leaky bucket;
 * and, as a client, Cafe24's webhook deliveries ({@link #sendWebhook}) with the app's WebHook auth key in
 * {@code X-API-Key}. {@code --sandbox} runs it so newcomers can try the gateway without a Cafe24 account; the test
 * suite uses it as the upstream.
 *
 * <p>The mall stands in the path's first segment instead of the host name, so one server plays every mall:
 * {@link #baseUrl()} is {@code http://127.0.0.1:<port>/{mall}}.
 *
 * <p>Threading: the HTTP side runs on the Vert.x event loop and never blocks. The controls and counters may be called
 * from any thread; each is atomic, and a value read after the Future of an HTTP exchange completed reflects that
 * exchange. Token material is never logged.
 */
public final class Cafe24Simulator {

  private static final Logger LOG = LoggerFactory.getLogger(Cafe24Simulator.class);
  private static final String HOST = "127.0.0.1";
  private static final String ADMIN_BASE = "/:mall/api/v2/admin";
  /** The Front API: {@code /{mall}/api/v2/...} outside {@code admin} and {@code oauth}. */
  private static final String FRONT_PATHS = "^/[^/]+/api/v2/(?!admin(?:/|$)|oauth(?:/|$)).*$";

  private final Vertx vertx;
  private final SimulatorSettings settings;
  private final Router router;
  private final SimulatorCounters counters = new SimulatorCounters();
  private final RequestLog requestLog = new RequestLog();
  private final OAuthAuthority authority;
  private final TokenEndpointFaults faults = new TokenEndpointFaults();
  private final RandomTokens random;
  private final FrontGate frontGate;
  private final SampleEvents events = new SampleEvents();
  private final WebhookSender webhooks;
  private volatile String webhookApiKey;
  private volatile HttpServer server;

  public Cafe24Simulator(Vertx vertx, SimulatorSettings settings) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = new RandomTokens();
    this.webhooks = new WebhookSender(vertx);
    this.authority = new OAuthAuthority(settings, random, counters);
    this.router = Router.router(vertx);
    AuthorizationCodes codes = new AuthorizationCodes(random, settings.clock());
    new SimulatorOAuthRoutes(vertx, settings, codes, authority, counters, faults).mount(router);
    // Registered before any resource route, and routes run in registration order: nothing under /admin (test
    // extensions included) is reached without a valid token and a place in the bucket.
    LeakyBucket bucket = new LeakyBucket(settings.bucketCapacity(), settings.leakPerSecond(), settings.clock());
    AdminGate adminGate = new AdminGate(authority, bucket, settings.rateLimitEnabled(), counters, requestLog);
    // "/*" does not match the bare /admin: it is the Admin API too (never the Front API), so it is gated as well.
    router.route(ADMIN_BASE).handler(adminGate);
    router.route(ADMIN_BASE + "/*").handler(adminGate);
    new AdminResources(settings.clock()).mount(router);
    // Likewise nothing of the Front API is reached without the app's client id (and its key, once one is set).
    frontGate = new FrontGate(settings.clientId(), authority, bucket, settings.rateLimitEnabled(), counters,
        requestLog);
    router.routeWithRegex(FRONT_PATHS).handler(frontGate);
    new FrontResources().mount(router);
    installErrorHandlers();
  }

  /**
   * Listens on {@code 127.0.0.1}.
   *
   * @param port the port, {@code 0} for a free one
   * @return the port actually bound; fails if already started or the port is taken
   */
  public Future<Integer> start(int port) {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("the Cafe24 simulator is already started"));
    }
    return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
        .requestHandler(router)
        .listen()
        .map(listening -> {
          server = listening;
          LOG.info("Cafe24 simulator listening on {}", baseUrl());
          return listening.actualPort();
        });
  }

  /** Stops listening; completes at once when not started. Tokens and counters survive a restart. */
  public Future<Void> stop() {
    HttpServer running = server;
    if (running == null) {
      return Future.succeededFuture();
    }
    server = null;
    return running.close();
  }

  /**
   * The gateway's {@code cafe24.baseUrl} for this simulator: {@code http://127.0.0.1:<port>/{mall}}, the literal
   * {@code {mall}} standing where the mall id goes.
   *
   * @throws IllegalStateException before {@link #start(int)} completed
   */
  public String baseUrl() {
    HttpServer running = server;
    if (running == null) {
      throw new IllegalStateException("the Cafe24 simulator is not started");
    }
    return "http://" + HOST + ":" + running.actualPort() + "/{mall}";
  }

  /**
   * A route at {@code /:mall/api/v2/admin} + {@code subPath} (e.g. {@code "/echo*"}) for tests to attach handlers
   * to. It runs after the bearer check and the leaky bucket, so it behaves like an authenticated Cafe24 endpoint, and
   * the request body is left unread for the handler. May be called before or after {@link #start(int)}.
   *
   * @param subPath a Vert.x Web path starting with {@code /}
   */
  public Route adminRoute(String subPath) {
    if (subPath == null || !subPath.startsWith("/")) {
      throw new IllegalArgumentException("subPath must start with /");
    }
    return router.route(ADMIN_BASE + subPath);
  }

  /**
   * The app's Front API key from now on: Front API calls without a customer's bearer must then carry
   * {@code Authorization: Basic base64(client_id:key)}, as Cafe24 asks from API version 2025-12-01. {@code null} or
   * empty (the default) asks for the client id alone. Never log the key.
   */
  public void setFrontApiKey(String key) {
    frontGate.setFrontApiKey(key);
  }

  /**
   * Every authorization code, access token and refresh token this simulator has issued (the first 100,000): the
   * canaries a test scans logs and answers for. Never log them.
   */
  public java.util.Set<String> issuedSecrets() {
    return random.handedOut();
  }

  /**
   * Issues and registers a fresh token pair for {@code mall}, as a completed install would.
   *
   * @return Cafe24's token response JSON; it holds live tokens, so never log it
   */
  public JsonObject issueTokens(String mall) {
    return authority.issue(mall, SimulatorOAuthRoutes.DEFAULT_SCOPES).toJson(settings.clientId());
  }

  /**
   * The app's "WebHook auth key", as the Developer Center shows it: sent in {@code X-API-Key} with every webhook.
   * {@code null} (the default) sends none.
   */
  public void setWebhookApiKey(String key) {
    this.webhookApiKey = key;
  }

  /** The event numbers {@link #sendWebhook} knows, with what each means, in order. */
  public static java.util.Map<Integer, String> webhookEvents() {
    return java.util.Collections.unmodifiableMap(SampleEvents.KNOWN);
  }

  /** {@code 90001 (product created), 90023 (order placed), …}: for a refusal that says what would work. */
  public static String webhookEventListing() {
    return SampleEvents.listing();
  }

  /**
   * Delivers one event to an app's webhook URL as Cafe24 does: a POST of {@code {"event_no":…,"resource":{"mall_id":…,
   * "event_shop_no":"1",…}}} with the WebHook auth key in {@code X-API-Key}. Each call is a new event (a fresh body).
   *
   * @param url     the app's webhook URL (the gateway's {@code /webhook})
   * @param eventNo one of {@link #webhookEvents()}
   * @return the receiver's answer, whatever its status; fails when none came, or for an unknown event number
   */
  public Future<WebhookReply> sendWebhook(String url, int eventNo, String mall) {
    if (!SampleEvents.known(eventNo)) {
      return Future.failedFuture(new IllegalArgumentException("unknown event number " + eventNo + "; known: "
          + SampleEvents.listing()));
    }
    return webhooks.send(url, events.body(eventNo, mall, settings.clientId()).toBuffer(), webhookApiKey);
  }

  /** Every access token of {@code mall} is expired from now on ({@code access_token time expired}). */
  public void expireAccessTokens(String mall) {
    authority.expireAccessTokens(mall);
  }

  /** Every access token of {@code mall} becomes unknown ({@code Invalid access_token}); refresh tokens still work. */
  public void revokeAccessTokens(String mall) {
    authority.revokeAccessTokens(mall);
  }

  /** Every token of {@code mall}, access and refresh, becomes unknown: the mall needs a new authorization. */
  public void revokeAll(String mall) {
    authority.revokeAll(mall);
  }

  /**
   * The faults the token endpoint plays on the next requests (delays, error answers, lost answers); none by default.
   * The same object for the simulator's whole life.
   */
  public TokenEndpointFaults faults() {
    return faults;
  }

  /**
   * The lifetime of access tokens issued from now on, replacing the settings' value (for tests whose tokens must
   * expire soon). Tokens already issued keep their {@code expires_at}.
   *
   * @param lifetime positive
   */
  public void setAccessTokenLifetime(Duration lifetime) {
    authority.setAccessTokenLifetime(lifetime);
  }

  /**
   * How many times exactly this refresh token was redeemed successfully: 0 or 1, since the registry marks a token
   * redeemed under the lock that checks it. A second attempt is a reuse ({@link #refreshReuseCount()}), never a
   * redemption.
   */
  public int successfulRedemptions(String refreshToken) {
    return counters.successfulRedemptions(refreshToken);
  }

  /**
   * The refresh token issued last for {@code mall} (install, code exchange or refresh, delivered or lost), or
   * {@code null} if none was ever issued. Revocation does not change it.
   */
  public String latestRefreshToken(String mall) {
    Grant latest = authority.latest(mall);
    return latest == null ? null : latest.refreshToken();
  }

  /** The access token issued last for {@code mall}, or {@code null}; like {@link #latestRefreshToken}. */
  public String latestAccessToken(String mall) {
    Grant latest = authority.latest(mall);
    return latest == null ? null : latest.accessToken();
  }

  /** Refresh-grant requests for {@code mall} that reached the token endpoint, whatever their outcome or fault. */
  public int refreshAttempts(String mall) {
    return counters.refreshAttempts(mall);
  }

  /** Successful refresh-token redemptions for {@code mall}. */
  public int refreshCount(String mall) {
    return counters.refreshes(mall);
  }

  /** Attempts, for any mall, to redeem a refresh token that had already been redeemed: should stay 0. */
  public int refreshReuseCount() {
    return counters.refreshReuses();
  }

  /** Successful authorization-code exchanges, all malls. */
  public int codeExchangeCount() {
    return counters.codeExchanges();
  }

  /** Every request that reached the token endpoint, successful or not, all malls. */
  public int tokenRequestCount() {
    return counters.tokenRequests();
  }

  /** 429 answers sent to {@code mall}. */
  public int rateLimitedCount(String mall) {
    return counters.rateLimitedCount(mall);
  }

  /** The last 1,000 Admin and Front API requests, oldest first, refused ones included; a snapshot. */
  public List<RecordedRequest> requests() {
    return requestLog.snapshot();
  }

  /** Forgets the recorded requests; counters are kept. */
  public void clearRecords() {
    requestLog.clear();
  }

  private void installErrorHandlers() {
    router.errorHandler(404, ctx -> Replies.apiError(ctx, 404, "No API found."));
    router.errorHandler(405, ctx -> Replies.apiError(ctx, 405, "Method Not Allowed"));
    router.errorHandler(500, ctx -> {
      // A simulator fault: say so in the log (the exception, never the request's headers) and answer like Cafe24.
      LOG.warn("Cafe24 simulator failed on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      Replies.apiError(ctx, 500, "Internal Server Error");
    });
  }
}
