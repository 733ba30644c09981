package io.mallgate.usage;

import static io.mallgate.usage.AppUsageFixture.apps;
import static io.mallgate.usage.AppUsageFixture.get;
import static io.mallgate.usage.AppUsageFixture.view;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 3, on Redis: each instance counts in memory and writes its counts every few seconds (no Redis
 * command per request), so the admin view of any instance is the cluster's; Redis going away fails no request and
 * loses no count.
 */
@Timeout(90)
@Slow
class AppUsageRedisTest {

  @TempDir
  Path dir;

  @Test
  void should_show_the_calls_of_both_instances_on_either_when_two_gateways_share_redis() {
    String mall = "usage-cluster-" + System.nanoTime() % 1_000_000_000; // the shared Redis outlives this run
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      AppUsageFixture.installRoutes(fixture);
      String redis = RedisServer.shared().url();
      RunningGateway one = fixture.deploy(fixture.config(redis, dir.resolve("1")));
      RunningGateway two = fixture.deploy(fixture.config(redis, dir.resolve("2")));
      fixture.install(one, mall);

      assertEquals(200, get(fixture, one, mall, "/products", "orders-sync").statusCode());
      assertEquals(200, get(fixture, one, mall, "/products", "orders-sync").statusCode());
      assertEquals(200, get(fixture, two, mall, "/products", "orders-sync").statusCode());
      assertEquals(200, get(fixture, two, mall, "/busy-once?key=" + mall, "billing").statusCode());
      assertEquals(200, get(fixture, two, mall, "/products", null).statusCode());

      Map<String, String> cluster = Map.of("orders-sync", "3 3 0", "billing", "1 2 1", "-", "1 1 0");
      // Each instance writes what it counted every few seconds; the one asked writes its own first.
      await("instance one shows both instances' calls").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> apps(view(fixture, one, mall)).equals(cluster));
      await("instance two too").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
          .until(() -> apps(view(fixture, two, mall)).equals(cluster));
      assertEquals("cluster", view(fixture, one, mall).getString("scope"));
      // Written again and again (each flush writes a changed minute whole): the counts never add up twice.
      assertEquals(200, get(fixture, one, mall, "/products", "orders-sync").statusCode());
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
          .until(() -> "4 4 0".equals(apps(view(fixture, two, mall)).get("orders-sync")));
      assertEquals(cluster.get("billing"), apps(view(fixture, one, mall)).get("billing"));
    }
  }

  @Test
  void should_serve_every_call_and_count_it_when_redis_is_away_and_share_the_counts_when_it_is_back() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
        RedisServer redis = RedisServer.dedicated()) {
      RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir.resolve("g"))
          .set("redis.commandTimeout", "300ms").set("tokens.cacheTtl", "1h"));
      fixture.install(gateway, "usage-outage");
      assertEquals(200, get(fixture, gateway, "usage-outage", "/products", "orders-sync").statusCode());

      redis.stop();
      for (int i = 0; i < 5; i++) {
        assertEquals(200, get(fixture, gateway, "usage-outage", "/products", "orders-sync").statusCode(),
            "the counting never fails a call");
      }
      await("this instance's counts while Redis is away").atMost(Duration.ofSeconds(10))
          .until(() -> "6 6 0".equals(apps(view(fixture, gateway, "usage-outage")).get("orders-sync")));
      assertEquals("instance", view(fixture, gateway, "usage-outage").getString("scope"));

      redis.start();
      await("the counts reach Redis once it answers").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonObject view = view(fixture, gateway, "usage-outage");
            return "cluster".equals(view.getString("scope"))
                && "6 6 0".equals(apps(view).get("orders-sync"));
          });
    }
  }

  @Test
  void should_send_no_redis_command_per_call_when_counting() {
    String mall = "usage-quiet-" + System.nanoTime() % 1_000_000_000;
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      RunningGateway gateway = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("q"))
          .set("tokens.cacheTtl", "1h"));
      fixture.install(gateway, mall);
      assertEquals(200, get(fixture, gateway, mall, "/products", "orders-sync").statusCode()); // the token cached
      double before = redisCommands(fixture, gateway);

      for (int i = 0; i < 100; i++) {
        assertEquals(200, get(fixture, gateway, mall, "/products", "orders-sync").statusCode());
      }

      double sent = redisCommands(fixture, gateway) - before;
      // One write per mall and changed minute every few seconds, whatever the number of calls.
      assertTrue(sent <= 10, sent + " Redis commands for 100 calls");
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
          .until(() -> "101 101 0".equals(apps(view(fixture, gateway, mall)).get("orders-sync")));
    }
  }

  /** Redis commands the gateway sent so far, all names together, from its metrics. */
  private static double redisCommands(GatewayFixture fixture, RunningGateway gateway) {
    return fixture.get(gateway, "/metrics").bodyAsString().lines()
        .filter(line -> line.startsWith("mallgate_redis_command_duration_seconds_count{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
