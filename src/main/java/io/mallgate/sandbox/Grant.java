package io.mallgate.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One issued token pair, as the simulated Cafe24 remembers it. Immutable: forcing expiry replaces the record.
 * {@link #toString()} never shows a token.
 */
record Grant(
    String mall,
    String accessToken,
    String refreshToken,
    Instant issuedAt,
    Instant expiresAt,
    Instant refreshTokenExpiresAt,
    List<String> scopes) {

  static final String USER_ID = "sandbox-operator";
  static final String SHOP_NO = "1";

  Grant {
    scopes = List.copyOf(scopes);
  }

  /** Cafe24's token response for this pair: the exact field set and order, naive Korea-time timestamps. */
  JsonObject toJson(String clientId) {
    return new JsonObject()
        .put("access_token", accessToken)
        .put("expires_at", KoreaTime.naive(expiresAt))
        .put("refresh_token", refreshToken)
        .put("refresh_token_expires_at", KoreaTime.naive(refreshTokenExpiresAt))
        .put("client_id", clientId)
        .put("mall_id", mall)
        .put("user_id", USER_ID)
        .put("scopes", new JsonArray(List.copyOf(scopes)))
        .put("issued_at", KoreaTime.naive(issuedAt))
        .put("shop_no", SHOP_NO)
        .put("token_type", "Bearer");
  }

  Grant withExpiresAt(Instant newExpiresAt) {
    return new Grant(mall, accessToken, refreshToken, issuedAt, newExpiresAt, refreshTokenExpiresAt, scopes);
  }

  /** Cafe24 treats a token as dead once the clock has passed its {@code expires_at}. */
  boolean accessExpired(Instant now) {
    return now.isAfter(expiresAt);
  }

  boolean refreshExpired(Instant now) {
    return now.isAfter(refreshTokenExpiresAt);
  }

  @Override
  public String toString() {
    return "Grant[mall=" + mall + ", expiresAt=" + expiresAt + ", refreshTokenExpiresAt=" + refreshTokenExpiresAt
        + "]";
  }
}
