package io.mallgate.sandbox;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable, URL-safe strings for codes and tokens: 24 random bytes, 32 base64url characters, no padding. */
final class RandomTokens {

  private static final int BYTES = 24;

  private final SecureRandom random = new SecureRandom();
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

  /** Thread-safe: {@link SecureRandom} synchronises internally. */
  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return encoder.encodeToString(bytes);
  }
}
