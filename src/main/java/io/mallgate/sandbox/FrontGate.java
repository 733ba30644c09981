package io.mallgate.sandbox;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Runs first on every Front API request ({@code /api/v2/...} outside {@code /admin} and {@code /oauth}): record it,
 * check that the app identifies itself, then meter it in the mall's leaky bucket.
 *
 * <p>What it asks, after Cafe24's Front API: {@code X-Cafe24-Client-Id} equal to the app's client id (else 401
 * {@code Invalid client_id}); no Admin API access token — a known admin token presented as a bearer is refused with
 * 403 (the simulator's choice: Cafe24 does not document this case, and a distinct answer lets tests tell it from any
 * other refusal); and, when a front API key is set ({@link Cafe24Simulator#setFrontApiKey}), either a customer's
 * {@code Bearer} (any other bearer: the simulator does not model customer logins) or
 * {@code Basic base64(client_id:front_api_key)}, as from API version 2025-12-01. Without a key, a {@code Basic} is
 * ignored, as an app on an older version sees. The mall's install is not asked for: the Front API authenticates the
 * app. Metered in the same bucket as the mall's Admin API calls (a simplification).
 *
 * <p>Thread-safe: the key is volatile, the rest is immutable or synchronized elsewhere.
 */
final class FrontGate implements Handler<RoutingContext> {

  static final String CLIENT_ID_HEADER = "X-Cafe24-Client-Id";

  private static final String BEARER = "Bearer ";
  private static final String BASIC = "Basic ";

  private final String clientId;
  private final OAuthAuthority authority;
  private final LeakyBucket bucket;
  private final boolean rateLimitEnabled;
  private final SimulatorCounters counters;
  private final RequestLog log;
  /** {@code client_id:front_api_key} as bytes; {@code null} when no key is set. */
  private volatile byte[] frontCredentials;

  FrontGate(String clientId, OAuthAuthority authority, LeakyBucket bucket, boolean rateLimitEnabled,
      SimulatorCounters counters, RequestLog log) {
    this.clientId = clientId;
    this.authority = authority;
    this.bucket = bucket;
    this.rateLimitEnabled = rateLimitEnabled;
    this.counters = counters;
    this.log = log;
  }

  /** The app's front API key from now on; {@code null} or empty for none. */
  void setFrontApiKey(String key) {
    frontCredentials = key == null || key.isEmpty() ? null : (clientId + ":" + key).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mall = path.substring(1, path.indexOf('/', 1));
    log.record(mall, ctx.request());
    Refusal refusal = check(ctx.request());
    if (refusal != null) {
      AdminGate.putCallLimit(ctx, bucket.peek(mall));
      Replies.apiError(ctx, refusal.status, refusal.message);
      return;
    }
    LeakyBucket.Admission admission = rateLimitEnabled ? bucket.tryAcquire(mall) : bucket.peek(mall);
    AdminGate.putCallLimit(ctx, admission);
    if (!admission.admitted()) {
      counters.rateLimited(mall);
      Replies.apiError(ctx, 429, "Too Many Requests");
      return;
    }
    ctx.next();
  }

  private Refusal check(HttpServerRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String bearer = credential(authorization, BEARER);
    if (bearer != null && authority.isAccessToken(bearer)) {
      return new Refusal(403, "An Admin API access_token cannot be used for the Front API.");
    }
    // Exactly one, and the app's: two values would leave open which one counts.
    if (request.headers().getAll(CLIENT_ID_HEADER).size() != 1
        || !clientId.equals(request.getHeader(CLIENT_ID_HEADER))) {
      return new Refusal(401, "Invalid client_id");
    }
    byte[] expected = frontCredentials;
    if (expected == null || bearer != null) {
      return null;
    }
    String basic = credential(authorization, BASIC);
    if (basic == null) {
      return new Refusal(401, "No authentication scheme has been specified for this request.");
    }
    return matches(basic, expected) ? null : new Refusal(401, "Invalid front_api_key");
  }

  /** The credential after {@code scheme} (matched in any case), trimmed; {@code null} for another scheme or none. */
  private static String credential(String authorization, String scheme) {
    if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
      return null;
    }
    String credential = authorization.substring(scheme.length()).trim();
    return credential.isEmpty() ? null : credential;
  }

  private static boolean matches(String basic, byte[] expected) {
    try {
      return MessageDigest.isEqual(Base64.getDecoder().decode(basic), expected);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private record Refusal(int status, String message) {
  }
}
