package io.mallgate.token.crypto;

import io.mallgate.config.Secret;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Tokens sealed at rest with AES-256-GCM. A sealed string reads {@code mg1.<keyId>.<payload>}, the payload being
 * base64url without padding of the 12-byte IV followed by the ciphertext and its 128-bit tag. The associated data is
 * {@code mallgate/tokens/v1:<mall>}, so a record copied to another mall's key does not open, and neither does one
 * whose bytes were changed.
 *
 * <p>The first key seals; every key opens (key rotation: list the new key first, re-seal, then drop the old one).
 * IVs are random from one {@link SecureRandom}; at well under 2^32 seals per key (each refresh is one) that keeps
 * the chance of a repeated IV negligible.
 *
 * <p>Thread-safe: a {@link Cipher} is made per call, since cipher instances are not. Pure CPU on a few hundred bytes,
 * fine on an event loop. No message (exception or other) ever carries a token or key byte.
 */
public final class SealedTokenCodec implements TokenCodec {

  static final String VERSION = "mg1";
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String AAD_PREFIX = "mallgate/tokens/v1:";
  private static final Base64.Encoder PAYLOAD_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder PAYLOAD_DECODER = Base64.getUrlDecoder();

  private final Map<String, SecretKey> keys;
  private final String primaryId;
  private final String primaryPrefix;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param keys {@code <id>:<base64 of 32 bytes>}, the first one primary; empty entries are skipped
   * @throws IllegalArgumentException when there is no key, or one is malformed or its id repeated (the message names
   *                                  the key's id or position only)
   */
  public SealedTokenCodec(List<Secret> keys) {
    this.keys = TokenKeys.parse(keys);
    this.primaryId = this.keys.keySet().iterator().next();
    this.primaryPrefix = VERSION + "." + primaryId + ".";
  }

  /** The id of the key that seals. */
  public String primaryKeyId() {
    return primaryId;
  }

  @Override
  public String encode(String mall, TokenResponse tokens) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] plain = tokens.toJson().encode().getBytes(StandardCharsets.UTF_8);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(primaryId), iv, mall);
      byte[] sealed = cipher.doFinal(plain);
      byte[] payload = Arrays.copyOf(iv, IV_BYTES + sealed.length);
      System.arraycopy(sealed, 0, payload, IV_BYTES, sealed.length);
      return primaryPrefix + PAYLOAD_ENCODER.encodeToString(payload);
    } catch (GeneralSecurityException e) {
      // Only the type: a provider's message is not ours to vouch for.
      throw new IllegalStateException("sealing tokens for mall " + mall + " failed (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  @Override
  public TokenResponse decode(String mall, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\.", -1);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new IllegalArgumentException("stored tokens for mall " + mall + " are not sealed (" + VERSION
          + " expected; plain JSON written with tokens.encryption: none?)");
    }
    String keyId = parts[1];
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalArgumentException("stored tokens for mall " + mall + " are sealed under "
          + (TokenKeys.validId(keyId) ? "key '" + keyId + "'" : "a malformed key id")
          + ", which is not among tokens.encryptionKeys");
    }
    return TokenResponse.fromJson(parse(mall, keyId, open(mall, keyId, key, parts[2])));
  }

  @Override
  public boolean isCurrent(String stored) {
    return stored != null && stored.startsWith(primaryPrefix);
  }

  @Override
  public String toString() {
    return "SealedTokenCodec[primary=" + primaryId + ", keys=" + keys.keySet() + "]";
  }

  private static byte[] open(String mall, String keyId, SecretKey key, String encoded) {
    byte[] payload;
    try {
      payload = PAYLOAD_DECODER.decode(encoded);
    } catch (IllegalArgumentException notBase64) {
      payload = new byte[0];
    }
    if (payload.length < IV_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("stored tokens for mall " + mall + " under key '" + keyId
          + "' are truncated or corrupt");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(payload, IV_BYTES), mall);
      return cipher.doFinal(payload, IV_BYTES, payload.length - IV_BYTES);
    } catch (GeneralSecurityException tagMismatch) {
      throw new IllegalArgumentException("stored tokens for mall " + mall + " do not open under key '" + keyId
          + "' (tampered, corrupt, or sealed for another mall)");
    }
  }

  private static JsonObject parse(String mall, String keyId, byte[] plain) {
    try {
      return new JsonObject(new String(plain, StandardCharsets.UTF_8));
    } catch (RuntimeException notJson) {
      // The cause is dropped on purpose: a JSON parser quotes the text it choked on, and that text holds tokens.
      throw new IllegalArgumentException("stored tokens for mall " + mall + " under key '" + keyId
          + "' opened but are not a token response");
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] iv, String mall) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD((AAD_PREFIX + mall).getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
