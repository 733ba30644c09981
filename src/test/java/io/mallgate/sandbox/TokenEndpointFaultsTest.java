package io.mallgate.sandbox;

import static io.mallgate.sandbox.OAuthEndpointsTest.assertOAuthError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TokenEndpointFaultsTest extends SimulatorTestBase {

  private static final String MALL = "faultmall";
  private static final String LOST = "lost";

  @Test
  void should_redeem_but_answer_nothing_when_the_response_is_lost(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().loseNextResponses(1);
    client.refresh(MALL, old).map(TokenEndpointFaultsTest::outcome).otherwise(TokenEndpointFaultsTest::lostOrElse)
        .compose(first -> client.refresh(MALL, old).map(retry -> {
          ctx.verify(() -> {
            assertEquals(LOST, first);
            assertOAuthError(retry, 400, "invalid_grant", "Invalid refresh_token");
          });
          return simulator.latestRefreshToken(MALL);
        }))
        .compose(issuedButLost -> client.refresh(MALL, issuedButLost))
        .onComplete(ctx.succeeding(recovered -> ctx.verify(() -> {
          assertEquals(1, simulator.successfulRedemptions(old));
          assertEquals(1, simulator.refreshReuseCount(), "the retry with the lost-answer token is a reuse");
          assertEquals(200, recovered.statusCode(), "the pair issued with the lost answer is live");
          assertEquals(3, simulator.refreshAttempts(MALL));
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_every_refresh_alike_without_redeeming_until_cleared(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().refuseRefreshes(400, "invalid_grant", "Invalid refresh_token");
    client.refresh(MALL, old).compose(first -> client.refresh(MALL, old).map(second -> {
          ctx.verify(() -> {
            assertOAuthError(first, 400, "invalid_grant", "Invalid refresh_token");
            assertOAuthError(second, 400, "invalid_grant", "Invalid refresh_token");
            assertEquals(0, simulator.successfulRedemptions(old), "refused unprocessed");
          });
          simulator.faults().clear();
          return second;
        }))
        .compose(refused -> client.refresh(MALL, old))
        .onComplete(ctx.succeeding(renewed -> ctx.verify(() -> {
          assertEquals(200, renewed.statusCode(), "the token was alive all along");
          assertEquals(0, simulator.refreshReuseCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_still_redeem_when_the_client_timed_out_during_the_delay(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().delayNext(1, Duration.ofMillis(600));
    int[] redeemedWhenClientGaveUp = new int[1];
    client.refresh(MALL, old, 100).map(TokenEndpointFaultsTest::outcome).otherwise(failure -> failure instanceof TimeoutException ? "timed out" : failure.toString())
        .compose(first -> {
          ctx.verify(() -> assertEquals("timed out", first));
          redeemedWhenClientGaveUp[0] = simulator.successfulRedemptions(old);
          return simulator.faults().settled();
        })
        .compose(settled -> client.refresh(MALL, old))
        .onComplete(ctx.succeeding(retry -> ctx.verify(() -> {
          assertEquals(0, redeemedWhenClientGaveUp[0], "the request waits before it is processed");
          assertEquals(1, simulator.successfulRedemptions(old), "processed after its client had gone");
          assertOAuthError(retry, 400, "invalid_grant", "Invalid refresh_token");
          assertEquals(1, simulator.refreshReuseCount());
          assertNotEquals(old, simulator.latestRefreshToken(MALL));
          ctx.completeNow();
        })));
  }

  @Test
  void should_answer_after_the_delay_when_the_client_waits(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().delayNext(1, Duration.ofMillis(250));
    long start = System.nanoTime();
    client.refresh(MALL, old).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(200, response.statusCode());
      assertTrue(elapsedMillis(start) >= 250, "answered after " + elapsedMillis(start) + " ms");
      assertEquals(response.bodyAsJsonObject().getString("refresh_token"), simulator.latestRefreshToken(MALL));
      assertEquals(0, simulator.faults().pending());
      ctx.completeNow();
    })));
  }

  @Test
  void should_answer_the_status_without_redeeming_when_failing(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().failNext(2, 503);
    client.refresh(MALL, old)
        .compose(first -> client.refresh(MALL, old).map(second -> List.of(first, second)))
        .compose(failures -> {
          ctx.verify(() -> {
            assertEquals(0, simulator.successfulRedemptions(old), "a failed request redeems nothing");
            for (HttpResponse<Buffer> failure : failures) {
              assertOAuthError(failure, 503, "temporarily_unavailable",
                  "Simulated token endpoint failure (HTTP 503)");
            }
          });
          return client.refresh(MALL, old);
        })
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertEquals(200, third.statusCode(), "the token survived both failures");
          assertEquals(1, simulator.successfulRedemptions(old));
          assertEquals(0, simulator.refreshReuseCount());
          assertEquals(3, simulator.refreshAttempts(MALL));
          ctx.completeNow();
        })));
  }

  @Test
  void should_leave_the_code_unused_when_an_exchange_fails(VertxTestContext ctx) {
    client.obtainCode(MALL)
        .compose(code -> {
          simulator.faults().failNext(1, 500);
          return client.exchange(MALL, code)
              .compose(failed -> client.exchange(MALL, code).map(retried -> List.of(failed, retried)));
        })
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertEquals("server_error", responses.get(0).bodyAsJsonObject().getString("error"));
          assertEquals(500, responses.get(0).statusCode());
          assertEquals(200, responses.get(1).statusCode());
          assertEquals(1, simulator.codeExchangeCount());
          assertEquals(0, simulator.refreshAttempts(MALL), "a code exchange is no refresh attempt");
          ctx.completeNow();
        })));
  }

  @Test
  void should_take_queued_faults_in_arrival_order(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().failNext(1, 503).loseNextResponses(1).failNext(1, 502);
    List<String> outcomes = new ArrayList<>();
    String[] issuedButLost = new String[1];
    client.refresh(MALL, old).map(TokenEndpointFaultsTest::outcome).otherwise(TokenEndpointFaultsTest::lostOrElse).map(outcomes::add)
        .compose(added -> client.refresh(MALL, old)).map(TokenEndpointFaultsTest::outcome).otherwise(TokenEndpointFaultsTest::lostOrElse)
        .map(outcomes::add)
        .compose(added -> {
          issuedButLost[0] = simulator.latestRefreshToken(MALL);
          return client.refresh(MALL, issuedButLost[0]);
        })
        .map(TokenEndpointFaultsTest::outcome).map(outcomes::add)
        .compose(added -> client.refresh(MALL, issuedButLost[0])).map(TokenEndpointFaultsTest::outcome)
        .map(outcomes::add)
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertEquals(List.of("503", LOST, "502", "200"), outcomes);
          assertEquals(1, simulator.successfulRedemptions(old));
          assertEquals(1, simulator.successfulRedemptions(issuedButLost[0]));
          assertEquals(0, simulator.faults().pending());
          ctx.completeNow();
        })));
  }

  @Test
  void should_delay_every_request_until_cleared_when_delay_all_is_set(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    simulator.faults().delayAll(Duration.ofMillis(150)).failNext(1, 503);
    long start = System.nanoTime();
    client.refresh(MALL, old)
        .compose(failed -> {
          long failedAfter = elapsedMillis(start);
          ctx.verify(() -> {
            assertEquals(503, failed.statusCode(), "a queued failure still applies");
            assertTrue(failedAfter >= 150, "delayAll delays a queued failure too; took " + failedAfter + " ms");
          });
          long again = System.nanoTime();
          return client.refresh(MALL, old).map(answered -> elapsedMillis(again));
        })
        .compose(secondTook -> {
          ctx.verify(() -> assertTrue(secondTook >= 150, "every request is delayed; took " + secondTook + " ms"));
          simulator.faults().delayAll(Duration.ofMinutes(10)).clear();
          return client.refresh(MALL, simulator.latestRefreshToken(MALL), 5_000);
        })
        .onComplete(ctx.succeeding(afterClear -> ctx.verify(() -> {
          assertEquals(200, afterClear.statusCode(), "clear() dropped the ten-minute delay");
          ctx.completeNow();
        })));
  }

  @Test
  void should_settle_at_once_when_nothing_is_under_way(VertxTestContext ctx) {
    simulator.faults().settled().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void should_refuse_faults_that_make_no_sense() {
    TokenEndpointFaults faults = simulator.faults();
    assertThrows(IllegalArgumentException.class, () -> faults.delayNext(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> faults.delayNext(1, Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> faults.failNext(1, 200));
    assertThrows(IllegalArgumentException.class, () -> faults.loseNextResponses(-1));
    assertThrows(IllegalArgumentException.class, () -> faults.delayAll(Duration.ofMillis(-1)));
    assertEquals(0, faults.pending());
  }

  private static String outcome(HttpResponse<Buffer> response) {
    return Integer.toString(response.statusCode());
  }

  /** A lost answer reaches the client as a closed connection; anything else is reported as it is. */
  private static String lostOrElse(Throwable failure) {
    return failure instanceof HttpClosedException ? LOST : failure.toString();
  }

  private static long elapsedMillis(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
