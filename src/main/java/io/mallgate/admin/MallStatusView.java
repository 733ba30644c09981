package io.mallgate.admin;

import io.mallgate.token.Cafe24Time;
import io.mallgate.token.TokenRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A mall's status as the admin API shows it: whether a token is stored, when each token expires and how many
 * seconds are left, scopes, and masked previews such as {@code 0iqR…(24)}. Never a whole token. Timestamps are
 * ISO-8601 with the Korea offset, so they are unambiguous and read like Cafe24's.
 */
final class MallStatusView {

  private MallStatusView() {
  }

  static JsonObject of(String mall, TokenRecord record, Instant now, String installUrl) {
    JsonObject view = new JsonObject().put("mall_id", mall).put("has_token", record != null);
    if (record == null) {
      return view.put("install_url", installUrl);
    }
    var tokens = record.tokens();
    return view
        .put("version", record.version())
        .put("updated_at", Cafe24Time.iso(record.updatedAt()))
        .put("access_token", token(tokens.accessToken(), tokens.expiresAt(), now))
        .put("refresh_token", token(tokens.refreshToken(), tokens.refreshTokenExpiresAt(), now))
        .put("issued_at", tokens.issuedAt() == null ? null : Cafe24Time.iso(tokens.issuedAt()))
        .put("scopes", new JsonArray(tokens.scopes()))
        .put("user_id", tokens.userId())
        .put("shop_no", tokens.shopNo());
  }

  /** {@code 0iqR…(24)}: enough to tell two tokens apart, far too little to use one. */
  static String preview(String token) {
    String head = token.length() >= 16 ? token.substring(0, 4) : "";
    return head + "…(" + token.length() + ")";
  }

  private static JsonObject token(String value, Instant expiresAt, Instant now) {
    return new JsonObject()
        .put("expires_at", Cafe24Time.iso(expiresAt))
        .put("seconds_left", Math.max(0, expiresAt.getEpochSecond() - now.getEpochSecond()))
        .put("expired", !expiresAt.isAfter(now))
        .put("preview", preview(value));
  }
}
