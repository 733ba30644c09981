package io.mallgate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The simulated Cafe24's token registry: issues token pairs, rotates them on refresh and revokes them.
 *
 * <p>Rotation follows Cafe24 strictly, because the gateway's refresh protocol exists to survive it: a refresh token
 * is single-use, each redemption returns a new pair, and the old refresh token and old access token die at once, with
 * no grace period. A second redemption of an already redeemed refresh token is counted, so tests can prove that the
 * gateway never double-redeems.
 *
 * <p>Thread-safety: every method is {@code synchronized}; the HTTP handlers call in from the event loop and tests
 * call the controls from their own thread.
 */
final class OAuthAuthority {

  private final Map<String, Grant> byAccessToken = new HashMap<>();
  private final Map<String, Grant> byRefreshToken = new HashMap<>();
  // Redeemed tokens are kept (one per refresh, a few a day per mall) to tell a replay from a token that never existed.
  private final Set<String> redeemedRefreshTokens = new HashSet<>();
  // The pair issued last per mall, revoked or not: what a store that kept up with every refresh would hold.
  private final Map<String, Grant> latest = new HashMap<>();
  private final SimulatorSettings settings;
  private final RandomTokens random;
  private final SimulatorCounters counters;
  private volatile Duration accessTokenLifetime;

  OAuthAuthority(SimulatorSettings settings, RandomTokens random, SimulatorCounters counters) {
    this.settings = settings;
    this.random = random;
    this.counters = counters;
    this.accessTokenLifetime = settings.accessTokenLifetime();
  }

  /** The lifetime of access tokens issued from now on; tokens already issued keep their expiry. */
  void setAccessTokenLifetime(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("access token lifetime must be positive");
    }
    accessTokenLifetime = lifetime;
  }

  /** Issues and registers a fresh pair for {@code mall}, timed from the settings' clock. */
  synchronized Grant issue(String mall, List<String> scopes) {
    Instant now = now();
    Grant grant = new Grant(mall, random.next(), random.next(), now, now.plus(accessTokenLifetime),
        now.plus(settings.refreshTokenLifetime()), scopes);
    byAccessToken.put(grant.accessToken(), grant);
    byRefreshToken.put(grant.refreshToken(), grant);
    latest.put(mall, grant);
    return grant;
  }

  /**
   * Redeems a refresh token: the old pair dies and a new one is returned.
   *
   * @throws OAuthRejection {@code invalid_grant "Invalid refresh_token"} when the token is used, unknown, expired,
   *     revoked or belongs to another mall
   */
  synchronized Grant refresh(String mall, String refreshToken) {
    if (refreshToken != null && redeemedRefreshTokens.contains(refreshToken)) {
      counters.refreshReused();
      throw OAuthRejection.invalidGrant("Invalid refresh_token");
    }
    Grant old = refreshToken == null ? null : byRefreshToken.get(refreshToken);
    if (old == null || !old.mall().equals(mall)) {
      throw OAuthRejection.invalidGrant("Invalid refresh_token");
    }
    forget(old);
    if (old.refreshExpired(now())) {
      throw OAuthRejection.invalidGrant("Invalid refresh_token");
    }
    // Marked redeemed under the same lock that checked it: no second request can get past the check above.
    redeemedRefreshTokens.add(refreshToken);
    counters.redeemed(refreshToken);
    counters.refreshed(mall);
    return issue(mall, old.scopes());
  }

  /** Checks an access token presented to {@code mall}'s admin API; a token of another mall is simply invalid. */
  synchronized AccessCheck checkAccess(String mall, String accessToken) {
    Grant grant = byAccessToken.get(accessToken);
    if (grant == null || !grant.mall().equals(mall)) {
      return AccessCheck.INVALID;
    }
    return grant.accessExpired(now()) ? AccessCheck.EXPIRED : AccessCheck.VALID;
  }

  /** Whether {@code token} is an Admin API access token this authority issued for any mall, expired or not. */
  synchronized boolean isAccessToken(String token) {
    return byAccessToken.containsKey(token);
  }

  /** Revokes the pair {@code token} (access or refresh) belongs to; unknown tokens are ignored, like Cafe24 does. */
  synchronized void revoke(String mall, String token) {
    Grant grant = byAccessToken.get(token);
    if (grant == null) {
      grant = byRefreshToken.get(token);
    }
    if (grant != null && grant.mall().equals(mall)) {
      forget(grant);
    }
  }

  /** Makes every access token of {@code mall} expired as of now; refresh tokens stay valid. */
  synchronized void expireAccessTokens(String mall) {
    Instant past = now().minusMillis(1);
    byAccessToken.replaceAll((token, grant) -> grant.mall().equals(mall) && grant.expiresAt().isAfter(past)
        ? grant.withExpiresAt(past) : grant);
  }

  /** Makes every access token of {@code mall} unknown, as when Cafe24 revokes them; refresh tokens stay valid. */
  synchronized void revokeAccessTokens(String mall) {
    byAccessToken.values().removeIf(grant -> grant.mall().equals(mall));
  }

  /** Forgets every token of {@code mall}: only a new authorization brings it back. */
  synchronized void revokeAll(String mall) {
    byAccessToken.values().removeIf(grant -> grant.mall().equals(mall));
    byRefreshToken.values().removeIf(grant -> grant.mall().equals(mall));
  }

  /** The pair issued last for {@code mall}, or {@code null} if none was ever issued. */
  synchronized Grant latest(String mall) {
    return latest.get(mall);
  }

  private void forget(Grant grant) {
    byAccessToken.remove(grant.accessToken());
    byRefreshToken.remove(grant.refreshToken());
  }

  private Instant now() {
    // Cafe24 writes milliseconds: truncating keeps what is stored equal to what the JSON says.
    return settings.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
