package io.mallgate.admin;

import io.mallgate.resilience.CircuitStatus;
import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.token.TokenRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A mall's status as the admin API shows it: whether a token is stored, when each token expires and how many
 * seconds are left, scopes, masked previews such as {@code 0iqR…(24)}, the version, the last refresh and its
 * outcome, the re-authorization mark and who holds the refresh lock. Never a whole token. Timestamps are
 * ISO-8601 with the Korea offset, so they are unambiguous and read like Cafe24's.
 */
final class MallStatusView {

  private MallStatusView() {
  }

  static JsonObject of(String mall, TokenRecord record, Instant now, String installUrl, String lockHolder) {
    JsonObject view = new JsonObject().put("mall_id", mall).put("has_token", record != null)
        .put("install_url", installUrl).put("refresh_lock_holder", lockHolder);
    if (record == null) {
      return view;
    }
    var tokens = record.tokens();
    var mark = record.reauthorization();
    var refresh = record.lastRefresh();
    return view
        .put("reauthorization_required", mark != null)
        .put("reauthorization", mark == null ? null : new JsonObject()
            .put("reason", mark.reason()).put("detail", mark.detail()).put("at", Cafe24Time.iso(mark.at())))
        .put("last_refresh", refresh == null ? null : new JsonObject()
            .put("at", Cafe24Time.iso(refresh.at())).put("outcome", refresh.outcome()).put("detail", refresh.detail()))
        .put("version", record.version())
        .put("updated_at", Cafe24Time.iso(record.updatedAt()))
        .put("access_token", token(tokens.accessToken(), tokens.expiresAt(), now))
        .put("refresh_token", token(tokens.refreshToken(), tokens.refreshTokenExpiresAt(), now))
        .put("issued_at", tokens.issuedAt() == null ? null : Cafe24Time.iso(tokens.issuedAt()))
        .put("scopes", new JsonArray(tokens.scopes()))
        .put("user_id", tokens.userId())
        .put("shop_no", tokens.shopNo());
  }

  /**
   * The circuit as this instance sees it (breaker state is per instance): state in lower case, moves to each state
   * since start, and when it last moved.
   */
  static JsonObject circuit(CircuitStatus status) {
    return new JsonObject()
        .put("scope", "instance")
        .put("state", status.state().toLowerCase(java.util.Locale.ROOT))
        .put("transitions", new JsonObject().put("open", status.opened()).put("half_open", status.halfOpened())
            .put("closed", status.closed()))
        .put("last_transition_at", status.lastTransitionAt() == null ? null : Cafe24Time.iso(status.lastTransitionAt()));
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
