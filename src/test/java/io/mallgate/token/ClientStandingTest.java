package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.sandbox.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientStandingTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T00:00:00Z"));
  private final ClientStanding standing = new ClientStanding(clock);
  private final List<String> told = new ArrayList<>();

  ClientStandingTest() {
    standing.watch(new ClientStanding.Watcher() {
      @Override
      public void clientRejected(ClientStanding.Cause cause, String words) {
        told.add("rejected " + cause);
      }

      @Override
      public void clientAccepted(Duration lasted) {
        told.add("accepted after " + lasted.toSeconds() + "s");
      }
    });
  }

  @Test
  void should_let_one_probe_through_per_doubling_backoff_when_the_client_is_refused() {
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, "Invalid client_secret");
    assertFalse(standing.mayCall(), "held back for the first second");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(standing.mayCall(), "the probe");
    assertFalse(standing.mayCall(), "only one caller per period");
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, "Invalid client_secret");
    clock.advance(Duration.ofMillis(1999));
    assertFalse(standing.mayCall(), "the backoff doubled to 2 s");
    clock.advance(Duration.ofMillis(1));
    assertTrue(standing.mayCall());
    assertEquals(List.of("rejected CLIENT_REFUSED"), told, "one refusal, told once");
  }

  @Test
  void should_not_double_the_backoff_when_refusals_of_calls_sent_before_it_was_known_come_in() {
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null);
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null); // four malls refreshed at once: the same news
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null);
    clock.advance(Duration.ofSeconds(1));
    assertTrue(standing.mayCall(), "still the first backoff");
  }

  @Test
  void should_answer_503_with_the_wait_left_when_refused() {
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null);
    GatewayFailure failure = standing.failure();
    assertEquals(ErrorCode.CAFE24_CLIENT_REJECTED, failure.code());
    assertEquals(503, failure.status());
    assertEquals("1", failure.headers().get("Retry-After"));
    assertTrue(standing.downReason().contains("cafe24.clientSecret"), standing.downReason());
  }

  @Test
  void should_let_the_next_refresh_through_at_once_when_asked_to_retry_now() {
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null);
    standing.retryNow();
    assertTrue(standing.mayCall());
  }

  @Test
  void should_end_the_refusal_and_tell_when_cafe24_accepts_the_client_again() {
    standing.refuse(ClientStanding.Cause.WIDESPREAD_REFUSALS, null);
    standing.refuse(ClientStanding.Cause.CLIENT_REFUSED, null);
    assertTrue(standing.downReason().startsWith("Cafe24's token endpoint refuses"), "the client's own word stands");
    clock.advance(Duration.ofSeconds(5));
    standing.accept();
    assertNull(standing.downReason());
    assertTrue(standing.mayCall());
    assertEquals(List.of("rejected WIDESPREAD_REFUSALS", "accepted after 5s"), told);
  }
}
