package io.mallgate.token;

import io.mallgate.config.GatewayConfig;
import io.mallgate.tracing.Span;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Cafe24's token endpoint: code exchange, refresh and revoke, with HTTP Basic client authentication and form bodies.
 *
 * <p>Why vertx-web-client rather than vertx-auth-oauth2: Cafe24 sends no {@code expires_in} but Korea-time
 * {@code expires_at} timestamps, rotates the refresh token on every use, and its refresh must run under our own
 * distributed lock with a compare-and-set write; the OAuth2 provider would compute expiry wrongly, refresh on its own
 * terms and hide the difference between "rejected" and "no answer" that the refresh protocol needs. Three form POSTs
 * are simpler to get exactly right by hand.
 *
 * <p>Every answer also tells the gateway's {@link ClientStanding}: a success shows Cafe24 accepts the client
 * credentials, a refusal that names the client ({@link RefusalVerdict#CLIENT_REJECTED}) shows it does not.
 * Thread-safe.
 */
public final class TokenEndpoint {

  private final WebClient client;
  private final GatewayConfig.Cafe24 cafe24;
  private final long timeoutMillis;
  private final String basicAuthorization;
  private final ClientStanding standing;

  /** With a standing of its own (tests and tools that build one endpoint); see {@link #standing()}. */
  public TokenEndpoint(WebClient client, GatewayConfig.Cafe24 cafe24, Duration timeout) {
    this(client, cafe24, timeout, new ClientStanding(Clock.systemUTC()));
  }

  /** @param standing told what Cafe24 says of the client credentials */
  public TokenEndpoint(WebClient client, GatewayConfig.Cafe24 cafe24, Duration timeout, ClientStanding standing) {
    this.client = client;
    this.cafe24 = cafe24;
    this.timeoutMillis = timeout.toMillis();
    this.standing = standing;
    String pair = cafe24.clientId().reveal() + ":" + cafe24.clientSecret().reveal();
    this.basicAuthorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** The standing this endpoint reports to. */
  public ClientStanding standing() {
    return standing;
  }

  /** Exchanges an authorization code (single-use, 60 s life) for the mall's first tokens. */
  public Future<TokenResponse> exchangeCode(String mall, String code) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code")
        .add("code", code)
        .add("redirect_uri", cafe24.redirectUri());
    return post(mall, "/api/v2/oauth/token", form, code, Span.NONE).map(TokenEndpoint::tokens);
  }

  /** Redeems a refresh token (single-use: Cafe24 kills it at once and returns a new pair). */
  public Future<TokenResponse> refresh(String mall, String refreshToken) {
    return refresh(mall, refreshToken, Span.NONE);
  }

  /**
   * As {@link #refresh(String, String)}, telling {@code call} (the caller's client span, which the caller ends) the
   * host, the path and Cafe24's status; never the form, the credentials or the answer's body.
   */
  public Future<TokenResponse> refresh(String mall, String refreshToken, Span call) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "refresh_token")
        .add("refresh_token", refreshToken);
    return post(mall, "/api/v2/oauth/token", form, refreshToken, call).map(TokenEndpoint::tokens);
  }

  /** Revokes a token and its pair. {@code hint} is {@code access_token} or {@code refresh_token}. */
  public Future<Void> revoke(String mall, String token, String hint) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_hint", hint);
    return post(mall, "/api/v2/oauth/revoke", form, token, Span.NONE).mapEmpty();
  }

  private Future<JsonObject> post(String mall, String path, MultiMap form, String credential, Span call) {
    if (call.recording()) {
      call.set(Span.HTTP_METHOD, "POST").set(Span.SERVER_ADDRESS, cafe24.baseUrl().host(mall))
          .set(Span.URL_PATH, cafe24.baseUrl().pathPrefix(mall) + path);
    }
    return client.postAbs(cafe24.baseUrl().url(mall, path))
        .putHeader("Authorization", basicAuthorization)
        .putHeader("Accept", "application/json")
        .followRedirects(false)
        .timeout(timeoutMillis)
        .sendForm(form)
        .recover(failure -> Future.failedFuture(transportFailure(failure)))
        .compose(response -> {
          call.set(Span.HTTP_STATUS, response.statusCode());
          return answer(response, credential);
        });
  }

  private Future<JsonObject> answer(HttpResponse<Buffer> response, String credential) {
    JsonObject body = json(response.body());
    int status = response.statusCode();
    if (status == 200) {
      standing.accept();
      return Future.succeededFuture(body == null ? new JsonObject() : body);
    }
    if (status >= 500) {
      return Future.failedFuture(new TokenEndpointException(TokenEndpointException.Kind.UNAVAILABLE, null,
          "Cafe24's token endpoint answered " + status));
    }
    String error = body == null ? "http_" + status : safeWord(body.getValue("error"), "http_" + status);
    String description = body == null ? null : safeText(body.getValue("error_description"), credential);
    TokenEndpointException refusal = new TokenEndpointException(TokenEndpointException.Kind.REJECTED, error,
        description, "Cafe24 refused: " + error + (description == null ? "" : " (" + description + ")"));
    if (refusal.verdict() == RefusalVerdict.CLIENT_REJECTED) {
      standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, description);
    }
    return Future.failedFuture(refusal);
  }

  private static TokenEndpointException transportFailure(Throwable failure) {
    boolean neverSent = failure instanceof ConnectException || failure instanceof UnknownHostException;
    return neverSent
        ? new TokenEndpointException(TokenEndpointException.Kind.UNREACHABLE, null, "Cafe24's token endpoint is unreachable")
        : new TokenEndpointException(TokenEndpointException.Kind.NO_ANSWER, null,
            "no answer from Cafe24's token endpoint (" + failure.getClass().getSimpleName() + ")");
  }

  private static TokenResponse tokens(JsonObject body) {
    try {
      return TokenResponse.fromJson(body);
    } catch (IllegalArgumentException e) {
      // Cafe24 said yes but we cannot read the tokens: as good as no answer for a single-use credential.
      throw new TokenEndpointException(TokenEndpointException.Kind.NO_ANSWER, null,
          "Cafe24's token response is unusable: " + e.getMessage());
    }
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** An OAuth error code is a short word; anything else is replaced rather than echoed. */
  private static String safeWord(Object value, String fallback) {
    return value instanceof String s && s.matches("[A-Za-z0-9_.-]{1,64}") ? s : fallback;
  }

  /** Cafe24's description, when it is short printable text that contains neither credential we sent. */
  private String safeText(Object value, String credential) {
    if (!(value instanceof String s) || s.length() > 160 || !s.matches("[\\x20-\\x7E]*")) {
      return null;
    }
    String secret = cafe24.clientSecret().reveal();
    // A secret of a few characters would match innocent words (and hide "Invalid client_secret" itself).
    boolean echoes = credential != null && !credential.isEmpty() && s.contains(credential)
        || secret.length() >= 8 && s.contains(secret);
    return echoes ? null : s;
  }
}
