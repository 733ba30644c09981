package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.fanout.FanoutTest.postEvents;
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
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Redis fan-out's housekeeping: consumers left by restarts, and events trimmed away while pending. */
@Timeout(120)
@Slow
class FanoutConsumersTest {

  private static final String GROUP = "mallgate-fanout:orders";

  @TempDir
  Path dir;

  private final String stream = "test:webhooks:{consumers-" + System.nanoTime() + "}";
  private final String redis = RedisServer.shared().url();

  private TestConfig config(GatewayFixture fixture, String name, TestSubscriber target, String backoff) {
    return fixture.config(redis, dir.resolve(name))
        .set("redis.commandTimeout", "1s")
        .set("webhook.stream", stream)
        .set("webhook.subscribers", Map.of("orders", Map.of("url", target.url(), "timeout", "1s")))
        .set("webhook.delivery", Map.of("maxAttempts", 20, "backoff", backoff, "maxBackoff", backoff,
            "pollInterval", "100ms"));
  }

  @Test
  void should_remove_idle_consumers_without_pending_events_and_keep_one_with_pending_when_gateways_restart() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      // Backoff of an hour: the pending entry of the "ghost" consumer is not due during the test.
      Set<String> old = new HashSet<>();
      for (String run : List.of("1", "2")) {
        Set<String> before = consumers(fixture.vertx).keySet();
        RunningGateway gateway = fixture.deploy(config(fixture, run, target, "1h"));
        // Redis creates a consumer when it first reads an entry: give each instance one to deliver.
        String id = postEvents(fixture, gateway, 1, "run-" + run).get(0);
        await("delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> target.accepted.containsKey(id));
        await("the gateway's consumer exists").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> !before.containsAll(consumers(fixture.vertx).keySet()));
        old.addAll(consumers(fixture.vertx).keySet());
        result(gateway.stop());
      }
      assertEquals(2, old.size(), old.toString());
      send(fixture.vertx, Request.cmd(Command.XADD).arg(stream).arg("*").arg("event_no").arg("1").arg("body").arg("{}"));
      send(fixture.vertx, Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("ghost").arg("COUNT").arg(1)
          .arg("STREAMS").arg(stream).arg(">"));
      // Idle for longer than an attempt can take (subscriber timeout + command timeout + 1 s).
      await("the old consumers are idle").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> consumers(fixture.vertx).values().stream()
              .allMatch(info -> info.get("idle") >= 3000));

      fixture.deploy(config(fixture, "3", target, "1h"));
      await("the old idle consumers removed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> consumers(fixture.vertx).keySet().stream()
              .noneMatch(old::contains));
      Map<String, Map<String, Long>> left = consumers(fixture.vertx);
      assertTrue(left.containsKey("ghost"), left.toString());
      assertEquals(1L, left.get("ghost").get("pending"), "the one with a pending event kept");
    }
  }

  @Test
  void should_warn_when_a_pending_event_was_trimmed_from_the_stream() {
    try (LogCapture logs = LogCapture.capture();
        GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      RunningGateway gateway = fixture.deploy(config(fixture, "1", target, "100ms"));
      String id = postEvents(fixture, gateway, 1, "trimmed").get(0);
      await("the event refused").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 1);
      send(fixture.vertx, Request.cmd(Command.XTRIM).arg(stream).arg("MAXLEN").arg(0));
      await("a warning").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> !logs.linesContaining("trimmed past it").isEmpty());
      assertTrue(logs.linesContaining("trimmed past it").get(0).contains(id));
      await("nothing pending").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> send(fixture.vertx, Request.cmd(Command.XPENDING).arg(stream)
              .arg(GROUP)).get(0).toLong() == 0);
      assertFalse(target.accepted.containsKey(id));
    }
  }

  /** Consumer name to {@code pending} and {@code idle} (ms), from XINFO CONSUMERS. */
  private Map<String, Map<String, Long>> consumers(Vertx vertx) {
    Map<String, Map<String, Long>> consumers = new LinkedHashMap<>();
    Response reply;
    try {
      reply = send(vertx, Request.cmd(Command.XINFO).arg("CONSUMERS").arg(stream).arg(GROUP));
    } catch (RuntimeException noGroupYet) {
      return consumers;
    }
    for (Response consumer : reply) {
      consumers.put(consumer.get("name").toString(), Map.of("pending", consumer.get("pending").toLong(),
          "idle", consumer.get("idle").toLong()));
    }
    return consumers;
  }

  private Response send(Vertx vertx, Request request) {
    Redis client = Redis.createClient(vertx, redis);
    try {
      return result(client.send(request));
    } finally {
      client.close();
    }
  }
}
