package io.mallgate.token.crypto;

import io.mallgate.config.Secret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Token encryption keys as operators write them: {@code <id>:<base64 of 32 bytes>}, the id 1-16 letters, digits,
 * {@code _} or {@code -}. The id travels in every sealed string, so a store can hold records sealed under several
 * keys while a rotation is under way. Messages about a key name at most its id, never its bytes.
 */
public final class TokenKeys {

  /** The bytes of an AES-256 key. */
  static final int KEY_BYTES = 32;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenKeys() {
  }

  /**
   * A new key, {@code k<yyyyMMdd>:<base64 of 32 random bytes>}, the date (UTC) from {@code clock}. Two keys made on
   * one day share an id: rename one before listing both.
   */
  public static String generate(Clock clock) {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return "k" + DAY.format(clock.instant()) + ":" + Base64.getEncoder().encodeToString(key);
  }

  /** Whether {@code id} is a well-formed key id (so that it may be shown in a message). */
  static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * Parses configured keys, in order (the first is the primary); empty entries are skipped.
   *
   * @return key id to AES key, in the configured order; never empty
   * @throws IllegalArgumentException naming the position or id of a malformed or repeated key, never its bytes
   */
  static Map<String, SecretKey> parse(List<Secret> configured) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    int position = 0;
    for (Secret secret : configured) {
      position++;
      if (secret == null || secret.isEmpty()) {
        continue;
      }
      String value = secret.reveal();
      int colon = value.indexOf(':');
      String id = colon < 0 ? null : value.substring(0, colon);
      if (!validId(id)) {
        throw new IllegalArgumentException("encryption key #" + position + " must be <id>:<base64 of 32 bytes>");
      }
      if (keys.put(id, new SecretKeySpec(keyBytes(id, value.substring(colon + 1)), "AES")) != null) {
        throw new IllegalArgumentException("encryption key id '" + id + "' is listed twice: give each key its own id");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no encryption key configured: make one with --generate-key");
    }
    return Collections.unmodifiableMap(keys);
  }

  private static byte[] keyBytes(String id, String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException notBase64) {
      // The decoder's message quotes the offending character: part of the key.
      bytes = new byte[0];
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("encryption key '" + id + "' must be the base64 of exactly 32 bytes");
    }
    return bytes;
  }
}
