package io.mallgate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization codes handed out by the authorize endpoint. Like Cafe24's, a code is single-use and lives
 * {@link #LIFETIME} (60 s) from issue; it is bound to the mall and the {@code redirect_uri} it was issued for.
 * Thread-safe: redemption removes the code atomically, so two racing exchanges cannot both win.
 */
final class AuthorizationCodes {

  static final Duration LIFETIME = Duration.ofSeconds(60);

  private record Pending(String mall, String redirectUri, Instant issuedAt, List<String> scopes) {
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final RandomTokens random;
  private final Clock clock;

  AuthorizationCodes(RandomTokens random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  /** Issues a fresh code for {@code mall}, to be exchanged with the same {@code redirectUri}. */
  String issue(String mall, String redirectUri, List<String> scopes) {
    String code = random.next();
    pending.put(code, new Pending(mall, redirectUri, clock.instant(), scopes));
    return code;
  }

  /**
   * Redeems a code, consuming it whatever the outcome: a code that was presented once is never good again.
   *
   * @return the scopes the code was issued for
   * @throws OAuthRejection {@code invalid_grant} when the code is unknown, used, late, or issued for another mall
   *     or another {@code redirect_uri}
   */
  List<String> redeem(String mall, String code, String redirectUri) {
    Pending found = code == null ? null : pending.remove(code);
    if (found == null || !found.mall().equals(mall)) {
      throw OAuthRejection.invalidGrant("Invalid authorization code");
    }
    if (clock.instant().isAfter(found.issuedAt().plus(LIFETIME))) {
      throw OAuthRejection.invalidGrant("Code time expired");
    }
    if (!found.redirectUri().equals(redirectUri)) {
      throw OAuthRejection.invalidGrant("Invalid redirect_uri");
    }
    return found.scopes();
  }
}
