package io.mallgate.token;

import io.mallgate.cafe24.Cafe24Time;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Cafe24 token response, as the token endpoint returns it on code exchange and on refresh, and as an operator
 * imports it. There is no {@code expires_in}: lifetimes come from {@code expires_at}, Korea time (see
 * {@link Cafe24Time}). Missing optional fields ({@code shop_no}, {@code token_type}, …) and unknown fields are
 * tolerated. {@link #toString()} never shows a token.
 */
public record TokenResponse(
    String accessToken,
    String refreshToken,
    Instant expiresAt,
    Instant refreshTokenExpiresAt,
    Instant issuedAt,
    String clientId,
    String mallId,
    String userId,
    List<String> scopes,
    String shopNo,
    String tokenType) {

  public TokenResponse {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(refreshTokenExpiresAt, "refreshTokenExpiresAt");
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /**
   * Reads Cafe24's JSON.
   *
   * @throws IllegalArgumentException naming the field at fault, never its value when it is a token
   */
  public static TokenResponse fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("token response is not a JSON object");
    }
    return new TokenResponse(
        requiredToken(json, "access_token"),
        requiredToken(json, "refresh_token"),
        requiredTime(json, "expires_at"),
        requiredTime(json, "refresh_token_expires_at"),
        optionalTime(json, "issued_at"),
        optionalText(json, "client_id"),
        optionalText(json, "mall_id"),
        optionalText(json, "user_id"),
        scopes(json.getValue("scopes")),
        optionalText(json, "shop_no"),
        optionalText(json, "token_type"));
  }

  /** Writes Cafe24's JSON shape back, timestamps in naive Korea time. Contains the tokens: never log it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("access_token", accessToken)
        .put("expires_at", Cafe24Time.format(expiresAt))
        .put("refresh_token", refreshToken)
        .put("refresh_token_expires_at", Cafe24Time.format(refreshTokenExpiresAt));
    putIfPresent(json, "client_id", clientId);
    putIfPresent(json, "mall_id", mallId);
    putIfPresent(json, "user_id", userId);
    json.put("scopes", new JsonArray(new ArrayList<>(scopes)));
    if (issuedAt != null) {
      json.put("issued_at", Cafe24Time.format(issuedAt));
    }
    putIfPresent(json, "shop_no", shopNo);
    putIfPresent(json, "token_type", tokenType);
    return json;
  }

  @Override
  public String toString() {
    return "TokenResponse[mall=" + mallId + ", expiresAt=" + expiresAt + ", refreshTokenExpiresAt="
        + refreshTokenExpiresAt + ", scopes=" + scopes + "]";
  }

  private static String requiredText(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("token response field '" + field + "' is missing or not a string");
    }
    return text;
  }

  /** A bearer token goes into a header: only RFC 6750's b64token characters, or CR/LF could split the header. */
  private static String requiredToken(JsonObject json, String field) {
    String token = requiredText(json, field);
    if (!token.matches("[A-Za-z0-9\\-._~+/]+=*") || token.length() > 4096) {
      throw new IllegalArgumentException("token response field '" + field + "' has characters a bearer token cannot "
          + "have");
    }
    return token;
  }

  private static String optionalText(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? null : value.toString();
  }

  private static Instant requiredTime(JsonObject json, String field) {
    Instant time = optionalTime(json, field);
    if (time == null) {
      throw new IllegalArgumentException("token response field '" + field + "' is missing");
    }
    return time;
  }

  private static Instant optionalTime(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("token response field '" + field + "' is not a timestamp string");
    }
    try {
      return Cafe24Time.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token response field '" + field + "' is not a Cafe24 timestamp");
    }
  }

  private static List<String> scopes(Object value) {
    if (value instanceof JsonArray array) {
      List<String> scopes = new ArrayList<>();
      array.forEach(scope -> scopes.add(String.valueOf(scope)));
      return scopes;
    }
    if (value instanceof String text && !text.isBlank()) {
      return List.of(text.split("[,\\s]+"));
    }
    if (value == null || value instanceof String) {
      return List.of();
    }
    throw new IllegalArgumentException("token response field 'scopes' must be a list of scope names");
  }

  private static void putIfPresent(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
