package io.mallgate.sandbox;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable, URL-safe strings for codes and tokens: 24 random bytes, 32 base64url characters, no padding. Keeps
 * the first {@value #KEPT} it handed out, so tests can prove that none of them ever reached a log line.
 */
final class RandomTokens {

  private static final int BYTES = 24;
  static final int KEPT = 100_000;

  private final java.util.Set<String> handedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final SecureRandom random = new SecureRandom();
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

  /** Thread-safe: {@link SecureRandom} synchronises internally. */
  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    String token = encoder.encodeToString(bytes);
    if (handedOut.size() < KEPT) {
      handedOut.add(token);
    }
    return token;
  }

  /** Every value handed out so far (up to {@value #KEPT}). */
  java.util.Set<String> handedOut() {
    return java.util.Set.copyOf(handedOut);
  }
}
