package io.mallgate.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated Cafe24 OAuth endpoints under {@code /:mall/api/v2/oauth}: authorize (auto-approves), token (code
 * exchange and refresh, Basic client auth, in {@link TokenGrantHandler}) and revoke. Token rules live in
 * {@link OAuthAuthority} and {@link AuthorizationCodes}; this class only reads requests and writes Cafe24's answers.
 */
final class SimulatorOAuthRoutes {

  /** What a code carries when the authorize request names no scope. */
  static final List<String> DEFAULT_SCOPES = List.of("mall.read_product", "mall.read_order", "mall.read_store");

  private static final String BASE = "/:mall/api/v2/oauth";
  // Token and revoke bodies are a few short fields; anything bigger is not a client we simulate.
  private static final long FORM_LIMIT_BYTES = 64 * 1024;

  private final SimulatorSettings settings;
  private final AuthorizationCodes codes;
  private final OAuthAuthority authority;
  private final ClientAuthentication clientAuth;
  private final TokenGrantHandler tokenHandler;

  SimulatorOAuthRoutes(Vertx vertx, SimulatorSettings settings, AuthorizationCodes codes, OAuthAuthority authority,
      SimulatorCounters counters, TokenEndpointFaults faults) {
    this.settings = settings;
    this.codes = codes;
    this.authority = authority;
    this.clientAuth = new ClientAuthentication(settings.clientId(), settings.clientSecret());
    this.tokenHandler = new TokenGrantHandler(vertx, settings, codes, authority, counters, faults);
  }

  void mount(Router router) {
    router.get(BASE + "/authorize").handler(this::authorize);
    router.post(BASE + "/token").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT_BYTES))
        .handler(tokenHandler);
    router.post(BASE + "/revoke").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT_BYTES))
        .handler(this::revoke);
  }

  private void authorize(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    try {
      String redirectUri = checkAuthorize(request);
      String state = request.getParam("state");
      String code = codes.issue(ctx.pathParam("mall"), redirectUri, scopes(request.getParam("scope")));
      String location = redirectUri + (redirectUri.indexOf('?') >= 0 ? "&" : "?")
          + "code=" + encode(code) + "&state=" + encode(state);
      ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
    } catch (OAuthRejection rejection) {
      Replies.oauthError(ctx, rejection);
    }
  }

  /** Validates the authorize query; returns the {@code redirect_uri} to send the browser back to. */
  private String checkAuthorize(HttpServerRequest request) {
    if (!"code".equals(request.getParam("response_type"))) {
      throw OAuthRejection.invalidRequest("response_type must be code");
    }
    if (!settings.clientId().equals(request.getParam("client_id"))) {
      throw OAuthRejection.invalidRequest("Invalid client_id");
    }
    if (isBlank(request.getParam("state"))) {
      throw OAuthRejection.invalidRequest("state is required");
    }
    String redirectUri = request.getParam("redirect_uri");
    if (isBlank(redirectUri) || !isAbsoluteHttp(redirectUri)) {
      throw OAuthRejection.invalidRequest("Invalid redirect_uri");
    }
    return redirectUri;
  }

  private void revoke(RoutingContext ctx) {
    try {
      clientAuth.require(ctx.request());
      // token_hint only helps a real server find the token faster; both kinds revoke the whole pair here.
      authority.revoke(ctx.pathParam("mall"), required(ctx.request(), "token"));
      Replies.json(ctx, 200, new JsonObject());
    } catch (OAuthRejection rejection) {
      Replies.oauthError(ctx, rejection);
    }
  }

  /** The form field's value; a missing or blank one is {@code invalid_request "<field> is required"}. */
  static String required(HttpServerRequest request, String field) {
    String value = request.getFormAttribute(field);
    if (isBlank(value)) {
      throw OAuthRejection.invalidRequest(field + " is required");
    }
    return value;
  }

  private static List<String> scopes(String scope) {
    // Cafe24's guide says space-separated, practice uses commas: accept both.
    List<String> scopes = isBlank(scope) ? List.of()
        : Arrays.stream(scope.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    return scopes.isEmpty() ? DEFAULT_SCOPES : scopes;
  }

  private static boolean isAbsoluteHttp(String uri) {
    try {
      URI parsed = new URI(uri);
      String scheme = parsed.getScheme();
      return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && parsed.getHost() != null
          && parsed.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
