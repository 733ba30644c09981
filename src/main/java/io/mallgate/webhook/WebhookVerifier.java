package io.mallgate.webhook;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides whether a webhook's raw bytes come from Cafe24, by the schemes of one route: {@code api-key} (the
 * {@code X-API-Key} header, whose name HTTP matches case-insensitively: Cafe24's scheme and the default) and
 * {@code hmac} (HMAC-SHA256 of the body, base64 or hex, in a configured header, for other senders), each against
 * every configured secret or key so that two can be valid during a rotation. Every comparison is constant-time and
 * every secret is tried, whichever matches. A malformed signature (bad alphabet, wrong length) is a verdict, never an
 * exception. Pure: no I/O; immutable and thread-safe.
 */
public final class WebhookVerifier {

  /** The header of Cafe24's documented scheme. */
  public static final String API_KEY_HEADER = "X-API-Key";
  private static final int SHA256_BYTES = 32;

  /** The outcome; every value but {@code VERIFIED} is a refusal, described without any secret or signature. */
  public enum Verdict {
    VERIFIED("verified"),
    MISSING_SIGNATURE("no signature header"),
    MALFORMED_SIGNATURE("signature is not a well-formed SHA-256 value"),
    WRONG_SIGNATURE("signature does not match the body"),
    MISSING_API_KEY("no X-API-Key header"),
    WRONG_API_KEY("X-API-Key does not match");

    private final String description;

    Verdict(String description) {
      this.description = description;
    }

    /** Safe for a log line. */
    public String description() {
      return description;
    }
  }

  private final boolean hmac;
  private final boolean apiKey;
  private final String header;
  private final boolean hex;
  private final List<SecretKeySpec> hmacKeys;
  private final List<byte[]> apiKeyDigests;

  /**
   * @param route a {@linkplain GatewayConfig.WebhookRoute#verifiable() verifiable} route: hmac needs at least one
   *              secret, api-key at least one key
   */
  public WebhookVerifier(GatewayConfig.WebhookRoute route) {
    this.hmac = route.schemes().contains("hmac");
    this.apiKey = route.schemes().contains("api-key");
    this.header = route.header();
    this.hex = "hex".equals(route.encoding());
    this.hmacKeys = route.secrets().stream()
        .map(secret -> new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
    this.apiKeyDigests = route.apiKeys().stream().map(Secret::reveal).map(WebhookVerifier::sha256).toList();
    if (!route.verifiable()) {
      throw new IllegalArgumentException("a webhook route needs a scheme, and a secret or key for each scheme");
    }
  }

  /** The header the signature is read from. */
  public String signatureHeader() {
    return header;
  }

  /**
   * Verifies one delivery.
   *
   * @param signature the signature header's value, or {@code null} when absent
   * @param presentedKey the {@code X-API-Key} header's value, or {@code null}
   * @param body the raw body, exactly as received
   */
  public Verdict verify(String signature, String presentedKey, byte[] body) {
    if (apiKey) {
      Verdict key = checkApiKey(presentedKey);
      if (key != Verdict.VERIFIED) {
        return key;
      }
    }
    return hmac ? checkSignature(signature, body) : Verdict.VERIFIED;
  }

  private Verdict checkApiKey(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Verdict.MISSING_API_KEY;
    }
    // Digests have one length whatever was sent, so the comparison time says nothing about the key's length.
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] expected : apiKeyDigests) {
      match |= MessageDigest.isEqual(expected, digest);
    }
    return match ? Verdict.VERIFIED : Verdict.WRONG_API_KEY;
  }

  private Verdict checkSignature(String signature, byte[] body) {
    if (signature == null || signature.isEmpty()) {
      return Verdict.MISSING_SIGNATURE;
    }
    byte[] presented = decode(signature);
    if (presented == null || presented.length != SHA256_BYTES) {
      return Verdict.MALFORMED_SIGNATURE;
    }
    boolean match = false;
    for (SecretKeySpec key : hmacKeys) {
      match |= MessageDigest.isEqual(hmacSha256(key, body), presented);
    }
    return match ? Verdict.VERIFIED : Verdict.WRONG_SIGNATURE;
  }

  /** The decoded signature, or {@code null} when it is not strictly base64 (or hex). */
  private byte[] decode(String signature) {
    try {
      return hex ? HexFormat.of().parseHex(signature) : Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] hmacSha256(SecretKeySpec key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM provides HmacSHA256", e);
    }
  }

  static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
