package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How both stores write the parts of a record at rest: the tokens through the {@link TokenCodec}, the
 * re-authorization mark as {@code {"reason","detail","at"}} and the last refresh attempt as
 * {@code {"at","outcome","detail"}} ({@code at} an ISO-8601 instant). Failures become
 * {@code GatewayFailure(TOKEN_STORE_UNAVAILABLE)} whose messages name the mall, never content.
 */
public final class StoredForm {

  private static final Logger LOG = LoggerFactory.getLogger(StoredForm.class);

  private StoredForm() {
  }

  /** The mall's tokens from their stored string. */
  public static TokenResponse open(TokenCodec codec, String mall, String data) {
    try {
      return codec.decode(mall, data);
    } catch (IllegalArgumentException unreadable) {
      // The codecs' messages name the mall and key id only (their contract), so they may be logged.
      LOG.warn("{}", unreadable.getMessage());
      throw cannotOpen(mall);
    } catch (RuntimeException unexpected) {
      LOG.warn("stored tokens for mall {} cannot be opened ({})", mall, unexpected.getClass().getSimpleName());
      throw cannotOpen(mall);
    }
  }

  /** The string the codec makes of the mall's tokens. */
  public static String seal(TokenCodec codec, String mall, TokenResponse tokens) {
    try {
      return codec.encode(mall, tokens);
    } catch (RuntimeException failed) {
      LOG.error("tokens for mall {} cannot be sealed ({})", mall, failed.getClass().getSimpleName());
      throw new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "tokens for mall " + mall + " cannot be stored");
    }
  }

  static GatewayFailure cannotOpen(String mall) {
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
        "stored token record for mall " + mall + " cannot be opened (wrong or missing encryption key?)");
  }

  static GatewayFailure unreadable(String mall) {
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
        "stored token record for mall " + mall + " is unreadable");
  }

  public static JsonObject toJson(TokenRecord.Reauthorization mark) {
    return mark == null ? null
        : new JsonObject().put("reason", mark.reason()).put("detail", mark.detail()).put("at", text(mark.at()));
  }

  public static JsonObject toJson(TokenRecord.RefreshAttempt attempt) {
    return attempt == null ? null : new JsonObject()
        .put("at", text(attempt.at())).put("outcome", attempt.outcome()).put("detail", attempt.detail());
  }

  /** @throws RuntimeException of some kind when the JSON is not a mark */
  public static TokenRecord.Reauthorization reauthorization(JsonObject json) {
    return json == null ? null
        : new TokenRecord.Reauthorization(json.getString("reason"), json.getString("detail"), instant(json));
  }

  /** @throws RuntimeException of some kind when the JSON is not a refresh attempt */
  public static TokenRecord.RefreshAttempt refreshAttempt(JsonObject json) {
    return json == null ? null
        : new TokenRecord.RefreshAttempt(instant(json), json.getString("outcome"), json.getString("detail"));
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  private static Instant instant(JsonObject json) {
    String at = json.getString("at");
    return at == null ? null : Instant.parse(at);
  }
}
