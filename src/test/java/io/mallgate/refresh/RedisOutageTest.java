package io.mallgate.refresh;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.testsupport.GatewayFixture.expiringAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Storm;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Redis stops under load and comes back: cached valid tokens keep flowing, the rest is a clean 503, then it heals. */
@Timeout(120)
class RedisOutageTest {

  @TempDir
  Path dir;

  @Test
  void should_keep_serving_cached_tokens_and_recover_by_itself_when_redis_stops_and_returns() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
        RedisServer redis = RedisServer.dedicated()) {
      RunningGateway one = fixture.deploy(fixture.config(redis.url(), dir.resolve("1"))
          .set("redis.commandTimeout", "300ms").set("tokens.cacheTtl", "1h").set("tokens.refreshWait", "2s"));
      RunningGateway two = fixture.deploy(fixture.config(redis.url(), dir.resolve("2"))
          .set("redis.commandTimeout", "300ms").set("tokens.cacheTtl", "1h").set("tokens.refreshWait", "2s"));
      List<RunningGateway> both = List.of(one, two);
      fixture.install(one, "steady");
      JsonObject due = fixture.simulator.issueTokens("due");
      fixture.install(one, "due", expiringAt(due, Instant.now().minusSeconds(1)));
      assertEquals(Map.of(200, 20), Storm.get(fixture.client, both, "/malls/steady/api/v2/admin/products", 20));

      redis.save(); // a Redis with persistence: the data outlives the restart
      redis.stop();
      assertEquals(Map.of(200, 200), Storm.get(fixture.client, both, "/malls/steady/api/v2/admin/products", 200),
          "a cached, valid token needs no Redis");
      HttpResponse<Buffer> refreshNeeded = fixture.get(two, "/malls/due/api/v2/admin/products");
      assertEquals(503, refreshNeeded.statusCode(), refreshNeeded.bodyAsString());
      assertTrue(List.of("token_store_unavailable", "token_refresh_unavailable")
          .contains(refreshNeeded.getHeader("X-Mallgate-Error")), refreshNeeded.getHeader("X-Mallgate-Error"));
      assertEquals(0, fixture.simulator.refreshAttempts("due"), "no redemption without the lock");

      redis.start();
      assertEquals(Map.of(200, 100), Storm.get(fixture.client, both, "/malls/steady/api/v2/admin/products", 100));
      fixture.install(one, "fresh");
      assertEquals(200, fixture.get(two, "/malls/fresh/api/v2/admin/products").statusCode());
      // The subscription came back by itself: a refresh on one instance reaches the other's cache.
      assertEquals(200, fixture.admin(one, HttpMethod.POST, "/admin/malls/fresh/refresh").statusCode());
      await("instance two hears of the refresh").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
          .until(() -> result(two.gateway().tokens().current("fresh")).version() >= 2);
    }
  }
}
