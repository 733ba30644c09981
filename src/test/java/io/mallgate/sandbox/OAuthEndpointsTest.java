package io.mallgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OAuthEndpointsTest extends SimulatorTestBase {

  private static final String MALL = "shopa";

  @Test
  void should_redirect_with_code_and_state_when_authorize_request_is_valid(VertxTestContext ctx) {
    client.authorize(MALL, "response_type=code&client_id=sandbox-client&state=xyz%201&scope=mall.read_product"
            + "&redirect_uri=" + SimulatorClient.encode("https://app.example.test/cb?tenant=7"))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(302, response.statusCode());
          String location = response.getHeader("Location");
          assertTrue(location.startsWith("https://app.example.test/cb?tenant=7&code="), location);
          assertEquals("xyz 1", SimulatorClient.queryParam(location, "state"));
          assertTrue(SimulatorClient.queryParam(location, "code").length() >= 22);
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_invalid_request_when_state_is_missing(VertxTestContext ctx) {
    client.authorize(MALL, "response_type=code&client_id=sandbox-client&redirect_uri="
            + SimulatorClient.encode(SimulatorClient.REDIRECT_URI))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertOAuthError(response, 400, "invalid_request", "state is required");
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_invalid_request_when_client_id_is_wrong(VertxTestContext ctx) {
    client.authorize(MALL, "response_type=code&client_id=someone-else&state=s&redirect_uri="
            + SimulatorClient.encode(SimulatorClient.REDIRECT_URI))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(400, response.statusCode());
          assertEquals("invalid_request", response.bodyAsJsonObject().getString("error"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_return_korea_time_token_response_when_code_is_exchanged(VertxTestContext ctx) {
    Instant now = clock.instant();
    client.obtainCode(MALL)
        .compose(code -> client.exchange(MALL, code))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          JsonObject body = response.bodyAsJsonObject();
          assertEquals(Set.of("access_token", "expires_at", "refresh_token", "refresh_token_expires_at",
              "client_id", "mall_id", "user_id", "scopes", "issued_at", "shop_no", "token_type"), body.fieldNames());
          assertFalse(body.containsKey("expires_in"));
          assertTrue(body.getString("expires_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
          LocalDateTime naive = LocalDateTime.parse(body.getString("expires_at"));
          Instant asKorea = naive.atZone(ZoneId.of("Asia/Seoul")).toInstant();
          assertTrue(Duration.between(now.plus(Duration.ofHours(2)), asKorea).abs().compareTo(Duration.ofSeconds(1))
              < 0, "expires_at read as Korea time is now + 2 h");
          assertEquals(Duration.ofHours(9), Duration.between(asKorea, naive.toInstant(ZoneOffset.UTC)),
              "read as UTC it would be 9 h too late");
          assertEquals(MALL, body.getString("mall_id"));
          assertEquals("mall.read_product", body.getJsonArray("scopes").getString(0));
          assertEquals(1, simulator.codeExchangeCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_invalid_grant_when_code_is_reused(VertxTestContext ctx) {
    client.obtainCode(MALL)
        .compose(code -> client.exchange(MALL, code).compose(first -> client.exchange(MALL, code)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals("invalid_grant", response.bodyAsJsonObject().getString("error"));
          assertEquals(400, response.statusCode());
          assertEquals(1, simulator.codeExchangeCount());
          assertEquals(2, simulator.tokenRequestCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_code_time_expired_when_code_is_older_than_60_seconds(VertxTestContext ctx) {
    client.obtainCode(MALL)
        .compose(code -> {
          clock.advance(Duration.ofSeconds(61));
          return client.exchange(MALL, code);
        })
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertOAuthError(response, 400, "invalid_grant", "Code time expired");
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_invalid_grant_when_code_was_issued_for_another_mall(VertxTestContext ctx) {
    client.obtainCode("othermall")
        .compose(code -> client.exchange(MALL, code))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals("invalid_grant", response.bodyAsJsonObject().getString("error"));
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_with_cafe24s_invalid_grant_words_when_client_secret_is_wrong(VertxTestContext ctx) {
    client.obtainCode(MALL)
        .compose(code -> client.token(MALL, "not-the-secret", MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "authorization_code").add("code", code)
            .add("redirect_uri", SimulatorClient.REDIRECT_URI)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          // Cafe24's answer, as seen in the wild: the error of a dead refresh token, the words of the client.
          assertOAuthError(response, 400, "invalid_grant", "Invalid client_secret");
          ctx.completeNow();
        })));
  }

  @Test
  void should_keep_the_refresh_token_alive_when_a_refresh_comes_with_a_wrong_client_secret(VertxTestContext ctx) {
    client.install(MALL).compose(tokens -> client.token(MALL, "not-the-secret", MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "refresh_token").add("refresh_token", tokens.getString("refresh_token")))
        .compose(refused -> client.refresh(MALL, tokens.getString("refresh_token")).map(renewed -> {
          ctx.verify(() -> {
            assertOAuthError(refused, 400, "invalid_grant", "Invalid client_secret");
            assertEquals(200, renewed.statusCode(), "the refused attempt redeemed nothing");
          });
          return renewed;
        })))
        .onComplete(ctx.succeeding(done -> ctx.completeNow()));
  }

  @Test
  void should_rotate_and_kill_old_pair_when_refresh_token_is_redeemed(VertxTestContext ctx) {
    client.install(MALL).compose(old -> client.refresh(MALL, old.getString("refresh_token")).compose(renewed ->
            client.refresh(MALL, old.getString("refresh_token")).compose(replay ->
                client.get(MALL, "/store", old.getString("access_token")).map(oldAccess -> {
                  ctx.verify(() -> {
                    JsonObject fresh = renewed.bodyAsJsonObject();
                    assertEquals(200, renewed.statusCode());
                    assertNotEquals(old.getString("refresh_token"), fresh.getString("refresh_token"));
                    assertNotEquals(old.getString("access_token"), fresh.getString("access_token"));
                    assertOAuthError(replay, 400, "invalid_grant", "Invalid refresh_token");
                    assertEquals(401, oldAccess.statusCode());
                    assertEquals("Invalid access_token", errorMessage(oldAccess));
                  });
                  return renewed.bodyAsJsonObject();
                }))))
        .compose(fresh -> client.get(MALL, "/store", fresh.getString("access_token")))
        .onComplete(ctx.succeeding(freshAccess -> ctx.verify(() -> {
          assertEquals(200, freshAccess.statusCode());
          assertEquals(1, simulator.refreshCount(MALL));
          assertEquals(1, simulator.refreshReuseCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_refresh_when_refresh_token_has_expired(VertxTestContext ctx) {
    client.install(MALL)
        .compose(tokens -> {
          clock.advance(Duration.ofDays(14).plusSeconds(1));
          return client.refresh(MALL, tokens.getString("refresh_token"));
        })
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertOAuthError(response, 400, "invalid_grant", "Invalid refresh_token");
          assertEquals(0, simulator.refreshReuseCount());
          ctx.completeNow();
        })));
  }

  @Test
  void should_kill_the_pair_when_access_token_is_revoked(VertxTestContext ctx) {
    client.install(MALL).compose(tokens -> client.revoke(MALL, tokens.getString("access_token"), "access_token")
            .compose(revoked -> client.get(MALL, "/store", tokens.getString("access_token"))
                .compose(access -> client.refresh(MALL, tokens.getString("refresh_token"))
                    .map(refresh -> {
                      ctx.verify(() -> {
                        assertEquals(200, revoked.statusCode());
                        assertEquals(new JsonObject(), revoked.bodyAsJsonObject());
                        assertEquals("Invalid access_token", errorMessage(access));
                        assertOAuthError(refresh, 400, "invalid_grant", "Invalid refresh_token");
                      });
                      return refresh;
                    }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void should_answer_200_when_revoked_token_is_unknown(VertxTestContext ctx) {
    client.revoke(MALL, "never-issued", "refresh_token")
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void should_keep_refresh_working_when_access_tokens_are_revoked_by_control(VertxTestContext ctx) {
    JsonObject tokens = simulator.issueTokens(MALL);
    simulator.revokeAccessTokens(MALL);
    client.get(MALL, "/store", tokens.getString("access_token"))
        .compose(access -> {
          ctx.verify(() -> assertEquals("Invalid access_token", errorMessage(access)));
          return client.refresh(MALL, tokens.getString("refresh_token"));
        })
        .onComplete(ctx.succeeding(refresh -> ctx.verify(() -> {
          assertEquals(200, refresh.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_refresh_when_all_tokens_are_revoked_by_control(VertxTestContext ctx) {
    JsonObject tokens = simulator.issueTokens(MALL);
    simulator.revokeAll(MALL);
    client.refresh(MALL, tokens.getString("refresh_token"))
        .onComplete(ctx.succeeding(refresh -> ctx.verify(() -> {
          assertOAuthError(refresh, 400, "invalid_grant", "Invalid refresh_token");
          ctx.completeNow();
        })));
  }

  static void assertOAuthError(HttpResponse<Buffer> response, int status, String error, String description) {
    assertEquals(status, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertNotNull(body);
    assertEquals(error, body.getString("error"));
    assertEquals(description, body.getString("error_description"));
  }

  static String errorMessage(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("message");
  }
}
