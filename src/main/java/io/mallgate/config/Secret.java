package io.mallgate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configured secret (client secret, admin token, keys). It never prints itself: {@link #toString()} is a fixed
 * mask, so a secret that slips into a log line, an exception message or {@code --check-config} output shows nothing.
 * Read the value only where it is used, with {@link #reveal()}.
 */
public final class Secret {

  private static final Secret EMPTY = new Secret("");
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new Secret(value);
  }

  public static Secret empty() {
    return EMPTY;
  }

  /** The secret itself: pass it straight to where it is used, never to a logger or a message. */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Constant-time comparison with a presented value (for tokens and keys a caller sends). */
  public boolean matches(String presented) {
    if (presented == null || value.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "(empty)" : "(secret)";
  }
}
