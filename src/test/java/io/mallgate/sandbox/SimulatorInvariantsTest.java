package io.mallgate.sandbox;

import static io.mallgate.sandbox.OAuthEndpointsTest.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The counters the refresh-protocol proofs rely on, and the run-time controls the 401 and expiry tests use. */
class SimulatorInvariantsTest extends SimulatorTestBase {

  private static final String MALL = "countmall";

  @Test
  void should_redeem_exactly_once_when_twenty_clients_race_with_one_refresh_token(VertxTestContext ctx) {
    String old = simulator.issueTokens(MALL).getString("refresh_token");
    List<Future<HttpResponse<Buffer>>> racers = IntStream.range(0, 20).mapToObj(i -> client.refresh(MALL, old))
        .toList();
    Future.all(racers).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<HttpResponse<Buffer>> winners = all.<HttpResponse<Buffer>>list().stream()
          .filter(response -> response.statusCode() == 200).toList();
      assertEquals(1, winners.size());
      assertEquals(1, simulator.successfulRedemptions(old));
      assertEquals(19, simulator.refreshReuseCount());
      assertEquals(20, simulator.refreshAttempts(MALL));
      assertEquals(1, simulator.refreshCount(MALL));
      assertEquals(winners.get(0).bodyAsJsonObject().getString("refresh_token"),
          simulator.latestRefreshToken(MALL));
      ctx.completeNow();
    })));
  }

  @Test
  void should_report_the_pair_issued_last_when_installed_then_refreshed(VertxTestContext ctx) {
    assertNull(simulator.latestRefreshToken(MALL));
    assertNull(simulator.latestAccessToken(MALL));
    client.install(MALL)
        .compose(installed -> {
          ctx.verify(() -> assertLatest(installed));
          return client.refresh(MALL, installed.getString("refresh_token")).map(HttpResponse::bodyAsJsonObject);
        })
        .onComplete(ctx.succeeding(refreshed -> ctx.verify(() -> {
          assertLatest(refreshed);
          assertEquals(0, simulator.successfulRedemptions(refreshed.getString("refresh_token")));
          assertEquals(0, simulator.successfulRedemptions("never-issued"));
          assertNull(simulator.latestRefreshToken("othermall"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_count_every_refresh_attempt_whatever_its_outcome(VertxTestContext ctx) {
    String valid = simulator.issueTokens(MALL).getString("refresh_token");
    MultiMap noToken = MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token");
    client.refresh(MALL, "never-issued")
        .compose(unknown -> client.token(MALL, "wrong-secret", MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "refresh_token").add("refresh_token", valid)))
        .compose(badClient -> client.token(MALL, settings.clientSecret(), noToken))
        .compose(missing -> client.refresh("othermall", valid))
        .onComplete(ctx.succeeding(otherMall -> ctx.verify(() -> {
          assertEquals(3, simulator.refreshAttempts(MALL));
          assertEquals(1, simulator.refreshAttempts("othermall"));
          assertEquals(0, simulator.successfulRedemptions(valid), "none of them redeemed");
          assertEquals(0, simulator.refreshReuseCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_a_revoked_access_token_and_refresh_with_the_valid_refresh_token(VertxTestContext ctx) {
    JsonObject tokens = simulator.issueTokens(MALL);
    simulator.revokeAccessTokens(MALL);
    client.get(MALL, "/store", tokens.getString("access_token"))
        .compose(revoked -> client.refresh(MALL, tokens.getString("refresh_token")).compose(refreshed ->
            client.get(MALL, "/store", refreshed.bodyAsJsonObject().getString("access_token"))
                .map(fresh -> List.of(revoked, refreshed, fresh))))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertEquals(401, responses.get(0).statusCode());
          assertEquals("Invalid access_token", errorMessage(responses.get(0)));
          assertEquals(200, responses.get(1).statusCode());
          assertEquals(200, responses.get(2).statusCode());
          assertEquals(1, simulator.successfulRedemptions(tokens.getString("refresh_token")));
          ctx.completeNow();
        })));
  }

  @Test
  void should_expire_new_access_tokens_after_the_lifetime_set_at_run_time(VertxTestContext ctx) {
    simulator.setAccessTokenLifetime(Duration.ofSeconds(30));
    JsonObject tokens = simulator.issueTokens(MALL);
    LocalDateTime expiresAt = LocalDateTime.parse(tokens.getString("expires_at"));
    assertEquals(clock.instant().plusSeconds(30).toEpochMilli() / 1000,
        expiresAt.atZone(ZoneId.of("Asia/Seoul")).toInstant().toEpochMilli() / 1000);
    client.get(MALL, "/store", tokens.getString("access_token"))
        .compose(fresh -> {
          clock.advance(Duration.ofSeconds(31));
          return client.get(MALL, "/store", tokens.getString("access_token")).map(late -> List.of(fresh, late));
        })
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertEquals(200, responses.get(0).statusCode());
          assertEquals(401, responses.get(1).statusCode());
          assertEquals("access_token time expired. (invalid_token)", errorMessage(responses.get(1)));
          ctx.completeNow();
        })));
  }

  private void assertLatest(JsonObject tokens) {
    assertEquals(tokens.getString("refresh_token"), simulator.latestRefreshToken(MALL));
    assertEquals(tokens.getString("access_token"), simulator.latestAccessToken(MALL));
  }
}
