package io.mallgate.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.sandbox.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstallStateTest {

  private static final Secret CLIENT_SECRET = Secret.of("client-secret-1");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
  private final InstallState states = new InstallState(Secret.empty(), CLIENT_SECRET, clock, Duration.ofMinutes(10));

  @Test
  void should_give_back_the_mall_and_expiry_when_a_state_it_issued_comes_back() {
    InstallState.Claim claim = states.open(states.issue("shop-1"));
    assertEquals("shop-1", claim.mall());
    assertEquals(Instant.parse("2026-12-07T00:10:00Z"), claim.expiresAt());
  }

  @Test
  void should_issue_a_new_nonce_each_time() {
    assertNotEquals(states.open(states.issue("shop")).nonce(), states.open(states.issue("shop")).nonce());
  }

  @Test
  void should_accept_a_state_from_another_instance_when_both_derive_the_key_from_one_client_secret() {
    InstallState other = new InstallState(Secret.empty(), CLIENT_SECRET, clock, Duration.ofMinutes(10));
    assertEquals("shop", other.open(states.issue("shop")).mall());
  }

  @Test
  void should_refuse_when_the_mall_in_the_state_was_changed() {
    String state = states.issue("shop");
    refused(state.replace(".shop.", ".evil."));
  }

  @Test
  void should_refuse_when_the_expiry_or_nonce_or_mac_was_changed() {
    String state = states.issue("shop");
    String[] parts = state.split("\\.");
    refused(String.join(".", parts[0], parts[1], String.valueOf(Long.parseLong(parts[2]) + 3600), parts[3], parts[4]));
    refused(String.join(".", parts[0], parts[1], parts[2], flip(parts[3]), parts[4]));
    refused(String.join(".", parts[0], parts[1], parts[2], parts[3], flip(parts[4])));
  }

  @Test
  void should_refuse_when_another_key_signed_it() {
    InstallState stranger = new InstallState(Secret.of("another-key-of-at-least-32-characters!"), CLIENT_SECRET, clock,
        Duration.ofMinutes(10));
    refused(stranger.issue("shop"));
  }

  @Test
  void should_refuse_when_the_state_has_expired() {
    String state = states.issue("shop");
    clock.advance(Duration.ofMinutes(10));
    refused(state);
  }

  @Test
  void should_refuse_when_the_state_is_not_of_its_form() {
    refused(null);
    refused("never-issued");
    refused("1.shop.123.x.y");
    refused(states.issue("shop") + ".");
  }

  private void refused(String state) {
    GatewayFailure failure = assertThrows(GatewayFailure.class, () -> states.open(state));
    assertEquals(ErrorCode.INVALID_STATE, failure.code());
  }

  private static String flip(String base64url) {
    char first = base64url.charAt(0);
    return (first == 'A' ? 'B' : 'A') + base64url.substring(1);
  }
}
