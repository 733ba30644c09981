package io.mallgate.oauth;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Cafe24's app-launch signature: when a merchant opens the app, Cafe24 calls it with a query such as
 * {@code is_multi_shop=T&lang=ko_KR&mall_id=…&…&timestamp=1658670191&user_id=…&hmac=…}, where {@code hmac} is the
 * base64 HMAC-SHA256, keyed with the app's client secret, of the raw query up to the {@code &} before {@code hmac}.
 * The timestamp (Unix seconds) must be within {@code maxAge} of now, in either direction, so a captured link cannot
 * be replayed later. Thread-safe.
 */
public final class AppLaunchVerifier {

  private static final String HMAC_PARAM = "&hmac=";
  private final Secret clientSecret;
  private final Duration maxAge;
  private final Clock clock;

  public AppLaunchVerifier(Secret clientSecret, Duration maxAge, Clock clock) {
    this.clientSecret = clientSecret;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** Whether a raw query carries launch parameters to verify. */
  public static boolean isLaunch(String rawQuery) {
    return rawQuery != null && (rawQuery.contains(HMAC_PARAM) || rawQuery.startsWith("hmac="));
  }

  /**
   * Verifies the raw query (exactly as received, not re-encoded).
   *
   * @throws GatewayFailure {@code invalid_launch_signature} (403) when the signature is missing, malformed, wrong or
   *                        the timestamp is stale
   */
  public void verify(String rawQuery) {
    int at = rawQuery == null ? -1 : rawQuery.lastIndexOf(HMAC_PARAM);
    if (at < 0) {
      throw refused("the launch signature is missing");
    }
    String signed = rawQuery.substring(0, at);
    String presented = rawQuery.substring(at + HMAC_PARAM.length());
    if (!MessageDigest.isEqual(sign(signed), decode(presented))) {
      throw refused("the launch signature does not match");
    }
    long timestamp = timestamp(signed);
    long skew = Math.abs(clock.instant().getEpochSecond() - timestamp);
    if (skew > maxAge.toSeconds()) {
      throw refused("the launch link is stale; open the app from the Cafe24 admin again");
    }
  }

  private byte[] sign(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(clientSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] decode(String presented) {
    try {
      String value = URLDecoder.decode(presented.replace("+", "%2B"), StandardCharsets.UTF_8);
      return java.util.Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw refused("the launch signature is not base64");
    }
  }

  private static long timestamp(String signed) {
    for (String pair : signed.split("&")) {
      if (pair.startsWith("timestamp=")) {
        try {
          return Long.parseLong(pair.substring("timestamp=".length()));
        } catch (NumberFormatException e) {
          throw refused("the launch timestamp is not a number");
        }
      }
    }
    throw refused("the launch timestamp is missing");
  }

  private static GatewayFailure refused(String why) {
    return new GatewayFailure(ErrorCode.INVALID_LAUNCH_SIGNATURE, why);
  }
}
