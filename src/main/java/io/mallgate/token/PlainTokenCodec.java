package io.mallgate.token;

import io.vertx.core.json.JsonObject;

/**
 * Tokens at rest in clear: Cafe24's own JSON ({@code tokens.encryption: none}). Anyone who can read the store can use
 * the tokens; meant for development and for stores protected by other means. Stateless and thread-safe.
 */
public final class PlainTokenCodec implements TokenCodec {

  @Override
  public String encode(String mall, TokenResponse tokens) {
    return tokens.toJson().encode();
  }

  @Override
  public TokenResponse decode(String mall, String stored) {
    if (stored == null || !isCurrent(stored)) {
      throw new IllegalArgumentException("stored tokens for mall " + mall + " are not plain JSON (sealed?)");
    }
    JsonObject json;
    try {
      json = new JsonObject(stored);
    } catch (RuntimeException notJson) {
      // The cause is dropped on purpose: a JSON parser quotes the text it choked on, and that text holds tokens.
      throw new IllegalArgumentException("stored tokens for mall " + mall + " are not valid JSON");
    }
    // fromJson's messages name fields, never values.
    return TokenResponse.fromJson(json);
  }

  /** Plain JSON is always this codec's form; a sealed string is not. */
  @Override
  public boolean isCurrent(String stored) {
    return stored != null && stored.startsWith("{");
  }

  @Override
  public String toString() {
    return "PlainTokenCodec";
  }
}
