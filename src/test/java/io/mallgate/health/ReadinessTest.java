package io.mallgate.health;

import io.mallgate.testsupport.Await;
import io.mallgate.testsupport.LogCapture;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, item 4, through a real gateway: {@code /health/live} and {@code /health/ready} without the admin token,
 * readiness following a dedicated Redis as it stops and returns, and liveness untouched by it.
 */
@Timeout(120)
@Slow
class ReadinessTest {

  @TempDir
  Path dir;

  @Test
  void should_go_not_ready_when_redis_stops_and_ready_again_when_it_returns() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        RedisServer redis = RedisServer.dedicated()) {
      RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir.resolve("redis"))
          .set("redis.commandTimeout", "300ms"));
      assertEquals(Map.of("config", "UP", "redis", "UP", "redis-eviction", "UP", "cafe24-client", "UP", "shutdown", "UP"),
          checks(fixture, gateway, 200));

      redis.stop();
      HttpResponse<Buffer> down = awaitStatus(fixture, gateway, 503);
      assertEquals(Map.of("config", "UP", "redis", "DOWN", "redis-eviction", "UP", "cafe24-client", "UP",
          "shutdown", "UP"), checks(down));
      assertEquals("DOWN", down.bodyAsJsonObject().getString("status"));
      assertFalse(down.bodyAsString().contains(String.valueOf(redis.port())),
          "no Redis address: " + down.bodyAsString());
      assertEquals(200, fixture.get(gateway, "/health/live").statusCode(), "a Redis outage is no reason to restart");

      redis.start();
      HttpResponse<Buffer> up = awaitStatus(fixture, gateway, 200);
      assertEquals(Map.of("config", "UP", "redis", "UP", "redis-eviction", "UP", "cafe24-client", "UP", "shutdown", "UP"), checks(up));
    }
  }

  @Test
  void should_warn_and_say_so_in_readiness_when_redis_may_evict_tokens() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        RedisServer redis = RedisServer.dedicated();
        LogCapture logs = LogCapture.capture()) {
      Redis client = Redis.createClient(fixture.vertx, redis.url());
      Await.result(client.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory-policy").arg("allkeys-lru")));
      RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir.resolve("evicting")));

      HttpResponse<Buffer> ready = fixture.get(gateway, "/health/ready");
      assertEquals(200, ready.statusCode(), "a risky policy is a warning, not a reason to stop serving");
      JsonObject eviction = check(ready, "redis-eviction");
      assertEquals("UP", eviction.getString("status"));
      assertTrue(eviction.getString("warning").contains("allkeys-lru"), eviction.encode());
      assertEquals(1, logs.linesContaining("maxmemory-policy is allkeys-lru").size(), logs.lines().toString());

      Await.result(client.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory-policy").arg("volatile-lru")));
      RunningGateway safe = fixture.deploy(fixture.config(redis.url(), dir.resolve("volatile")));
      assertFalse(check(fixture.get(safe, "/health/ready"), "redis-eviction").containsKey("warning"));
    }
  }

  private static JsonObject check(HttpResponse<Buffer> ready, String id) {
    return ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> id.equals(check.getString("id"))).findFirst().orElseThrow();
  }

  @Test
  void should_answer_live_and_ready_without_the_admin_token_when_the_embedded_store_is_open() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("embedded")));

      HttpResponse<Buffer> live = fixture.get(gateway, "/health/live");
      assertEquals(200, live.statusCode(), live.bodyAsString());
      assertEquals(Map.of("event-loop", "UP"), checks(live));
      assertEquals("no-store", live.getHeader("Cache-Control"));
      assertEquals(Map.of("config", "UP", "embedded-store", "UP", "cafe24-client", "UP", "shutdown", "UP"),
          checks(fixture, gateway, 200));
      assertFalse(fixture.get(gateway, "/health/ready").bodyAsString().contains(TestConfig.ADMIN_TOKEN));
    }
  }

  @Test
  void should_send_about_one_ping_per_second_when_probes_arrive_in_a_burst() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        RedisServer redis = RedisServer.dedicated()) {
      RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir.resolve("burst")));
      long before = RedisStats.pings(redis.port());
      long started = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        assertEquals(200, fixture.get(gateway, "/health/ready").statusCode());
      }
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      long pings = RedisStats.pings(redis.port()) - before;
      System.out.printf("[health] 100 readiness probes in %d s sent %d PING(s)%n", seconds, pings);
      assertTrue(pings >= 1 && pings <= seconds + 2, pings + " PINGs in " + seconds + " s");
    }
  }

  @Test
  void should_never_answer_ready_when_the_gateway_is_stopping() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        LogCapture logs = LogCapture.capture()) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("stopping"))
          .set("server.shutdownGrace", "5s"));
      assertEquals(200, fixture.get(gateway, "/health/ready").statusCode());

      gateway.stop(); // the drain runs on; the probe comes once it has begun, on a kept-alive connection if one is left
      // Undeploying is asynchronous: the test is about what a probe sees once the stop has begun.
      await("the stop has begun").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
          .until(() -> !logs.linesContaining("Mallgate stopping").isEmpty());
      Integer status = result(fixture.client.get(gateway.port(), "127.0.0.1", "/health/ready").send()
          .map(HttpResponse::statusCode).otherwise(0), 10);
      assertTrue(status == 0 || status == 503, "a stopping gateway answered " + status);
    }
  }

  private static Map<String, String> checks(GatewayFixture fixture, RunningGateway gateway, int status) {
    HttpResponse<Buffer> response = fixture.get(gateway, "/health/ready");
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return checks(response);
  }

  /** Each check's id and status, in the order given. */
  static Map<String, String> checks(HttpResponse<Buffer> response) {
    JsonArray checks = response.bodyAsJsonObject().getJsonArray("checks");
    Map<String, String> statuses = new LinkedHashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      statuses.put(check.getString("id"), check.getString("status"));
    }
    return statuses;
  }

  private static HttpResponse<Buffer> awaitStatus(GatewayFixture fixture, RunningGateway gateway, int status) {
    AtomicReference<HttpResponse<Buffer>> last = new AtomicReference<>();
    await("readiness " + status).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          last.set(fixture.get(gateway, "/health/ready"));
          assertEquals(status, last.get().statusCode(), "readiness: " + last.get().bodyAsString());
        });
    return last.get();
  }
}
