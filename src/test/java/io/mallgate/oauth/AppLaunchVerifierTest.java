package io.mallgate.oauth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AppLaunchVerifierTest {

  private static final String SIGNED =
      "is_multi_shop=T&lang=ko_KR&mall_id=shop1&nation=KR&shop_no=1&timestamp=1658670191&user_id=admin"
          + "&user_name=Admin&user_type=P";
  /** Computed independently: printf '%s' "$SIGNED" | openssl dgst -sha256 -hmac sandbox-secret -binary | base64 */
  private static final String HMAC = "HIRMEj+4WXvVoyR4mP1qJ50wG4yMyHSwMI4ZizTFoCo=";

  private static AppLaunchVerifier at(long epochSecond) {
    return new AppLaunchVerifier(Secret.of("sandbox-secret"), Duration.ofMinutes(5),
        Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  @Test
  void should_accept_launch_when_hmac_matches_and_timestamp_is_fresh() {
    assertDoesNotThrow(() -> at(1658670191 + 60).verify(SIGNED + "&hmac=" + HMAC));
  }

  @Test
  void should_accept_launch_when_hmac_is_percent_encoded() {
    String encoded = HMAC.replace("+", "%2B").replace("=", "%3D");
    assertDoesNotThrow(() -> at(1658670191).verify(SIGNED + "&hmac=" + encoded));
  }

  @Test
  void should_refuse_launch_when_one_parameter_changed() {
    GatewayFailure failure = assertThrows(GatewayFailure.class,
        () -> at(1658670191).verify(SIGNED.replace("shop1", "shop2") + "&hmac=" + HMAC));
    assertEquals(ErrorCode.INVALID_LAUNCH_SIGNATURE, failure.code());
    assertEquals(403, failure.status());
  }

  @Test
  void should_refuse_launch_when_timestamp_is_stale() {
    GatewayFailure failure = assertThrows(GatewayFailure.class,
        () -> at(1658670191 + 301).verify(SIGNED + "&hmac=" + HMAC));
    assertEquals(ErrorCode.INVALID_LAUNCH_SIGNATURE, failure.code());
  }

  @Test
  void should_refuse_launch_when_signed_with_another_secret() {
    AppLaunchVerifier other = new AppLaunchVerifier(Secret.of("another-secret"), Duration.ofMinutes(5),
        Clock.fixed(Instant.ofEpochSecond(1658670191), ZoneOffset.UTC));
    assertThrows(GatewayFailure.class, () -> other.verify(SIGNED + "&hmac=" + HMAC));
  }

  @Test
  void should_refuse_launch_when_hmac_is_missing_or_not_base64() {
    assertThrows(GatewayFailure.class, () -> at(1658670191).verify(SIGNED));
    assertThrows(GatewayFailure.class, () -> at(1658670191).verify(SIGNED + "&hmac=%%%"));
    assertThrows(GatewayFailure.class, () -> at(1658670191).verify(SIGNED + "&hmac=" + HMAC.substring(4)));
  }
}
