package io.mallgate.oauth;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.cafe24.MallId;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.RefusalVerdict;
import io.mallgate.token.TokenEndpointException;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The install flow. {@code GET /oauth/install?mall_id=M} sends the browser to Cafe24's authorize page with a fresh
 * signed {@code state} ({@link InstallState}) and writes nothing; {@code GET /oauth/callback?code=…&state=…} checks
 * the state's signature and expiry, claims its nonce (single use), exchanges the code (it lives 60 s) and stores the
 * tokens. An install or re-install replaces whatever was stored for the mall.
 */
public final class OAuthRoutes {

  private final GatewayConfig config;
  private final InstallState states;
  private final StateNonces nonces;
  private final TokenEndpoint endpoint;
  private final TokenService tokens;
  private final AppLaunchVerifier launch;
  /** Read per install: a reload may change the allow-list. */
  private final Supplier<GatewayConfig.Malls> malls;
  private final InstallPages pages = new InstallPages();
  private final Clock clock;

  public OAuthRoutes(GatewayConfig config, StateNonces nonces, TokenEndpoint endpoint, TokenService tokens,
      AppLaunchVerifier launch) {
    this(config, nonces, endpoint, tokens, launch, config::malls, Clock.systemUTC());
  }

  /** @param malls the allow-list, read per install (a reload may replace it) */
  public OAuthRoutes(GatewayConfig config, StateNonces nonces, TokenEndpoint endpoint, TokenService tokens,
      AppLaunchVerifier launch, Supplier<GatewayConfig.Malls> malls, Clock clock) {
    this.malls = malls;
    this.config = config;
    this.states = new InstallState(config.oauth().stateKey(), config.cafe24().clientSecret(), clock,
        config.oauth().stateTtl());
    this.nonces = nonces;
    this.clock = clock;
    this.endpoint = endpoint;
    this.tokens = tokens;
    this.launch = launch;
  }

  public void mount(Router router) {
    router.get("/oauth/install").handler(this::install);
    router.get("/oauth/callback").handler(this::callback);
  }

  /** The gateway's install URL for a mall: a sibling of the configured callback URL. */
  public static String installUrl(String redirectUri, String mall) {
    return URI.create(redirectUri).resolve("install?mall_id=" + mall).toString();
  }

  private void install(RoutingContext ctx) {
    String mall = MallId.require(ctx.queryParams().get("mall_id"));
    if (!malls.get().admits(mall)) {
      throw new GatewayFailure(ErrorCode.MALL_NOT_ALLOWED, "mall is not in this gateway's allow-list");
    }
    String rawQuery = ctx.request().query();
    if (AppLaunchVerifier.isLaunch(rawQuery)) {
      launch.verify(rawQuery);
    }
    ctx.response()
        .setStatusCode(302)
        .putHeader(HttpHeaders.LOCATION, authorizeUrl(mall, states.issue(mall)))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end();
  }

  private void callback(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    if (state == null || state.isEmpty()) {
      throw new GatewayFailure(ErrorCode.INVALID_STATE, "the callback carries no state");
    }
    InstallState.Claim claim = states.open(state);
    Duration left = Duration.between(clock.instant(), claim.expiresAt());
    nonces.claim(claim.nonce(), left)
        .compose(first -> first ? complete(ctx, claim.mall())
            : Future.failedFuture(new GatewayFailure(ErrorCode.INVALID_STATE,
                "this install state was already used: start the install again")))
        .onSuccess(record -> pages.installed(ctx, record))
        .onFailure(ctx::fail);
  }

  private Future<TokenRecord> complete(RoutingContext ctx, String mall) {
    String error = ctx.queryParams().get("error");
    if (error != null) {
      return Future.failedFuture(new GatewayFailure(ErrorCode.AUTHORIZATION_DENIED,
          "Cafe24 did not authorize the app: " + (error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "error")));
    }
    String code = ctx.queryParams().get("code");
    if (code == null || code.isEmpty()) {
      return Future.failedFuture(new GatewayFailure(ErrorCode.INVALID_REQUEST, "the callback carries no code"));
    }
    return endpoint.exchangeCode(mall, code)
        .recover(failure -> Future.failedFuture(exchangeFailed(failure)))
        .compose(response -> sameMall(mall, response))
        .compose(response -> tokens.install(mall, response));
  }

  private static Future<TokenResponse> sameMall(String mall, TokenResponse response) {
    if (response.mallId() != null && !response.mallId().equals(mall)) {
      return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_EXCHANGE_FAILED,
          "Cafe24 returned tokens for another mall; nothing was stored"));
    }
    return Future.succeededFuture(response);
  }

  private GatewayFailure exchangeFailed(Throwable failure) {
    if (failure instanceof GatewayFailure gatewayFailure) {
      return gatewayFailure;
    }
    // A wrong client secret is the gateway's fault, not the merchant's code: say so (503), not "bad code".
    if (failure instanceof TokenEndpointException e && e.verdict() == RefusalVerdict.CLIENT_REJECTED) {
      return endpoint.standing().failure();
    }
    String why = failure instanceof TokenEndpointException e ? e.getMessage() : "the code exchange failed";
    return new GatewayFailure(ErrorCode.TOKEN_EXCHANGE_FAILED, why + "; nothing was stored");
  }

  private String authorizeUrl(String mall, String state) {
    GatewayConfig.Cafe24 cafe24 = config.cafe24();
    return cafe24.baseUrl().url(mall, "/api/v2/oauth/authorize")
        + "?response_type=code"
        + "&client_id=" + encode(cafe24.clientId().reveal())
        + "&state=" + state
        + "&redirect_uri=" + encode(cafe24.redirectUri())
        + "&scope=" + encode(String.join(",", cafe24.scopes()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
