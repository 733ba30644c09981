package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.UpstreamRoutes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which of Cafe24's 401s cost a refresh: only one that names the access token, and never more than one per mall per
 * {@code tokens.minRefreshInterval}. Refreshes are counted where they land, at the simulated token endpoint; the
 * gateway reads time from a clock the test moves.
 */
@Timeout(60)
class UnauthorizedRefreshTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static MutableClock clock = new MutableClock(Instant.now());
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    // As shipped, coalescing on: the concurrent 401s below are shared, their bodies relayed to every caller.
    gateway = fixture.deploy(fixture.config("", dir).set("tokens.minRefreshInterval", "30s")
        .set("proxy.coalesce", true), clock);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static List<HttpResponse<Buffer>> concurrently(String mall, String path, int count) {
    List<Future<HttpResponse<Buffer>>> calls = IntStream.range(0, count)
        .mapToObj(i -> fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin" + path)
            .send())
        .toList();
    result(Future.all(calls), 30);
    return calls.stream().map(Future::result).toList();
  }

  @Test
  void should_spend_no_refresh_and_relay_each_body_unchanged_when_30_401s_do_not_name_the_access_token() {
    String mall = "other401";
    fixture.install(gateway, mall);

    List<HttpResponse<Buffer>> responses = concurrently(mall, "/other401", 30);

    for (HttpResponse<Buffer> response : responses) {
      assertEquals(401, response.statusCode());
      assertEquals(UpstreamRoutes.OTHER_401, response.bodyAsString(), "Cafe24's body, byte for byte");
      assertEquals("other401", response.getHeader("X-Upstream-Said"));
      assertNull(response.getHeader("X-Mallgate-Error"), "Cafe24's own 401, not the gateway's");
    }
    assertEquals(0, fixture.simulator.refreshAttempts(mall), "a refresh cannot cure these");
  }

  @Test
  void should_relay_a_401_whole_when_its_body_is_bigger_than_what_is_read() {
    String mall = "big401";
    fixture.install(gateway, mall);

    HttpResponse<Buffer> response = fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/big401?size=20000");

    assertEquals(401, response.statusCode());
    assertArrayEquals(UpstreamRoutes.pattern(20000, 0), response.bodyAsBuffer().getBytes());
    assertEquals(0, fixture.simulator.refreshAttempts(mall));
  }

  @Test
  void should_refresh_and_replay_once_when_the_401_names_the_access_token() {
    String mall = "revoked401";
    fixture.install(gateway, mall);
    fixture.simulator.revokeAccessTokens(mall); // Cafe24 now says "Invalid access_token"

    HttpResponse<Buffer> response = result(fixture.client.post(gateway.port(), "127.0.0.1",
        "/malls/" + mall + "/api/v2/admin/echo").sendBuffer(Buffer.buffer("{\"n\":1}")));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(7, response.bodyAsJsonObject().getLong("length"), "the body replayed whole");
    assertEquals(1, fixture.simulator.refreshCount(mall));
  }

  @Test
  void should_refresh_at_most_once_per_min_refresh_interval_when_cafe24_keeps_refusing_the_access_token() {
    String mall = "storm401";
    fixture.install(gateway, mall);

    concurrently(mall, "/always401", 20).forEach(response -> assertEquals(401, response.statusCode()));
    for (int i = 0; i < 10; i++) {
      assertEquals(401, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/always401").statusCode());
    }
    assertEquals(1, fixture.simulator.refreshAttempts(mall), "30 token 401s within the interval: one refresh");

    clock.advance(Duration.ofSeconds(29));
    assertEquals(401, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/always401").statusCode());
    assertEquals(1, fixture.simulator.refreshAttempts(mall));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(401, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/always401").statusCode());
    assertEquals(2, fixture.simulator.refreshAttempts(mall), "the next interval allows the next one");
  }
}
