package io.mallgate.oauth;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OAuth {@code state} as a signed, expiring value: {@code 1.<mall>.<expiry>.<nonce>.<mac>}, where expiry is in
 * Unix seconds, the nonce is 16 random bytes and the MAC is HMAC-SHA256 over everything before it (all base64url).
 * An install writes nothing anywhere, so a flood of installs grows nothing; the callback proves that the state is
 * ours, unexpired and names the mall. Single use is the callback's business ({@link StateNonces}). Thread-safe.
 */
final class InstallState {

  /** A state this gateway issued and that has not expired: the mall it was issued for, and its nonce. */
  record Claim(String mall, String nonce, Instant expiresAt) {
  }

  private static final String VERSION = "1";
  private static final Pattern FORM =
      Pattern.compile("1\\.([a-z0-9-]{1,63})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
  /** Domain separation: the derived key is used for nothing else. */
  private static final byte[] DERIVATION_LABEL = "mallgate oauth state key v1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;

  /**
   * @param stateKey {@code oauth.stateKey}; when empty, a key is derived from {@code clientSecret}, which every
   *     instance of the deployment shares, so a callback may land on any of them
   */
  InstallState(Secret stateKey, Secret clientSecret, Clock clock, Duration ttl) {
    byte[] material = stateKey.isEmpty()
        ? hmac(new SecretKeySpec(clientSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
            DERIVATION_LABEL)
        : stateKey.reveal().getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(material, "HmacSHA256");
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A fresh state for an install of {@code mall} (a valid mall id), valid for {@code oauth.stateTtl}. */
  String issue(String mall) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    String signed = VERSION + "." + mall + "." + expiry + "." + BASE64URL.encodeToString(nonce);
    return signed + "." + BASE64URL.encodeToString(hmac(key, signed.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Opens a state presented to the callback.
   *
   * @throws GatewayFailure {@code invalid_state} when it is malformed, not signed by this deployment, or expired
   */
  Claim open(String state) {
    Matcher parts = state == null ? null : FORM.matcher(state);
    if (parts == null || !parts.matches()) {
      throw invalid("the state is not one this gateway issued: start the install again");
    }
    String signed = state.substring(0, state.lastIndexOf('.'));
    byte[] expected = hmac(key, signed.getBytes(StandardCharsets.US_ASCII));
    if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts.group(4)))) {
      throw invalid("the state is not one this gateway issued: start the install again");
    }
    Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(parts.group(2)));
    if (!clock.instant().isBefore(expiresAt)) {
      throw invalid("the install took longer than oauth.stateTtl: start the install again");
    }
    return new Claim(parts.group(1), parts.group(3), expiresAt);
  }

  private static GatewayFailure invalid(String message) {
    return new GatewayFailure(ErrorCode.INVALID_STATE, message);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
