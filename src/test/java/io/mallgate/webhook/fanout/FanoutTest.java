package io.mallgate.webhook.fanout;

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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP fan-out end to end: real gateways, a real Redis, real subscribers on loopback. */
@Timeout(120)
@Slow
class FanoutTest {

  static final String CANARY = "CANARY-FANOUT-SECRET-7d41";
  private static final String HEADER = "X-API-Key";

  @TempDir
  Path dir;

  private final String stream = "test:webhooks:{fanout-" + System.nanoTime() + "}";
  private final String redis = RedisServer.shared().url();

  private TestConfig config(GatewayFixture fixture, String name, Map<String, Object> subscribers, int maxAttempts) {
    return fixture.config(redis, dir.resolve(name))
        .set("redis.commandTimeout", "1s")
        .set("webhook.stream", stream)
        .set("webhook.subscribers", subscribers)
        .set("webhook.delivery", Map.of("maxAttempts", maxAttempts, "backoff", "100ms", "maxBackoff", "400ms",
            "pollInterval", "100ms", "batchSize", 4));
  }

  private static Map<String, Object> subscriber(TestSubscriber target, List<Integer> events) {
    return Map.of("url", target.url(), "events", events, "secret", CANARY, "timeout", "1s");
  }

  @Test
  void should_deliver_each_event_once_when_the_subscriber_is_down_then_comes_back() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      RunningGateway gateway = fixture.deploy(config(fixture, "1", Map.of("orders",
          subscriber(target, List.of())), 20));
      List<String> ids = postEvents(fixture, gateway, 6, "down");
      await("each event refused at least once").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 6);
      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      await("nothing pending").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> gateway.gateway().fanoutCounters().deliveredCount() >= 6);
      assertOnceEach(target, ids);
      assertEquals(0, gateway.gateway().fanoutCounters().deadLetteredCount());
    }
  }

  @Test
  void should_lose_nothing_when_the_gateway_restarts_while_the_subscriber_is_down() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      Map<String, Object> subscribers = Map.of("orders", subscriber(target, List.of()));
      RunningGateway first = fixture.deploy(config(fixture, "1", subscribers, 20));
      List<String> ids = new ArrayList<>(postEvents(fixture, first, 4, "before"));
      await("the first instance tried each event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 4);
      result(first.stop());
      RunningGateway second = fixture.deploy(config(fixture, "2", subscribers, 20));
      ids.addAll(postEvents(fixture, second, 4, "after"));
      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      assertOnceEach(target, ids);
    }
  }

  @Test
  void should_keep_a_replayable_dead_letter_when_the_subscriber_always_fails() {
    try (LogCapture logs = LogCapture.capture();
        GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(500);
      RunningGateway gateway = fixture.deploy(config(fixture, "1", Map.of("orders",
          subscriber(target, List.of())), 3));
      String id = postEvents(fixture, gateway, 1, "dead").get(0);
      await("a dead letter").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> deadLetters(fixture, gateway).size() == 1);
      assertEquals(3, target.refused(), "exactly maxAttempts attempts");
      String listed = fixture.admin(gateway, HttpMethod.GET, "/admin/webhooks/dead-letters?subscriber=orders")
          .bodyAsString();
      JsonObject dead = deadLetters(fixture, gateway).getJsonObject(0);
      assertEquals(List.of("orders", id, "3", "500"), List.of(dead.getString("subscriber"),
          dead.getString("original_id"), dead.getString("attempts"), dead.getString("last_status")));

      target.answer(200);
      HttpResponse<Buffer> replayed = fixture.admin(gateway, HttpMethod.POST,
          "/admin/webhooks/dead-letters/" + dead.getString("id") + "/replay");
      assertEquals(200, replayed.statusCode(), replayed.bodyAsString());
      assertEquals(1, target.accepted.get(id).get(), "delivered under its original id");
      assertTrue(deadLetters(fixture, gateway).isEmpty(), "gone from the list");
      HttpResponse<Buffer> again = fixture.admin(gateway, HttpMethod.POST,
          "/admin/webhooks/dead-letters/" + dead.getString("id") + "/replay");
      assertEquals("webhook_dead_letter_not_found", again.getHeader("X-Mallgate-Error"));
      String metrics = fixture.get(gateway, "/metrics").bodyAsString();
      for (String line : List.of("mallgate_webhook_deliveries_total{outcome=\"failed\"} 3.0",
          "mallgate_webhook_deliveries_total{outcome=\"dead_lettered\"} 1.0",
          "mallgate_webhook_deliveries_total{outcome=\"replayed\"} 1.0")) {
        assertTrue(metrics.contains(line), line + " missing from:\n" + metrics);
      }
      assertFalse(listed.contains(CANARY), "the secret is not in the admin output");
      assertEquals(List.of(), logs.linesContaining(CANARY));
    }
  }

  @Test
  void should_forward_only_the_filtered_events_signed_byte_for_byte_when_a_subscriber_filters() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber orders = new TestSubscriber(fixture.vertx);
        TestSubscriber all = new TestSubscriber(fixture.vertx)) {
      RunningGateway gateway = fixture.deploy(config(fixture, "1", Map.of("orders",
          subscriber(orders, List.of(90023)), "all", Map.of("url", all.url())), 3));
      byte[] created = event(90001, "{\"note\":\"한글 ünïcode\"}");
      byte[] paid = event(90023, "{\"note\":\"한글 ünïcode\"}");
      String createdId = post(fixture, gateway, created);
      String paidId = post(fixture, gateway, paid);
      await("'all' got both").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> all.accepted.keySet().containsAll(Set.of(createdId, paidId)));
      await("'orders' got 90023").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> orders.accepted.containsKey(paidId));
      // Both groups were read in the same cycles: by now 'orders' has passed over 90001 too.
      await("both subscribers' cycles passed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> gateway.gateway().fanoutCounters().deliveredCount() >= 3);
      assertEquals(1, orders.received.size(), "90001 never reached 'orders'");
      TestSubscriber.Received got = orders.received.get(0);
      assertEquals(Buffer.buffer(paid), got.body(), "the raw bytes as Cafe24 sent them");
      assertEquals(hmac(CANARY, got.body().getBytes()), got.headers().get("X-Mallgate-Hmac-Sha256"));
      assertEquals(List.of("90023", "fanout", "application/json"), List.of(got.headers().get("X-Mallgate-Event-No"),
          got.headers().get("X-Mallgate-Mall-Id"), got.headers().get("Content-Type")));
      assertEquals(null, all.received.get(0).headers().get("X-Mallgate-Hmac-Sha256"), "no secret, no signature");
    }
  }

  static void assertOnceEach(TestSubscriber target, List<String> ids) {
    for (String id : ids) {
      AtomicInteger count = target.accepted.get(id);
      assertEquals(1, count == null ? 0 : count.get(), "accepted once: " + id);
    }
    assertEquals(Set.copyOf(ids), target.accepted.keySet());
  }

  static JsonArray deadLetters(GatewayFixture fixture, RunningGateway gateway) {
    HttpResponse<Buffer> response = fixture.admin(gateway, HttpMethod.GET, "/admin/webhooks/dead-letters");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("dead_letters");
  }

  static List<String> postEvents(GatewayFixture fixture, RunningGateway gateway, int count, String tag) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(post(fixture, gateway, event(90023, "{\"n\":\"" + tag + "-" + i + "-" + System.nanoTime() + "\"}")));
    }
    return ids;
  }

  static String post(GatewayFixture fixture, RunningGateway gateway, byte[] body) {
    HttpResponse<Buffer> response = result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook")
        .putHeader(HEADER, TestConfig.WEBHOOK_API_KEY).sendBuffer(Buffer.buffer(body)));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getString("id");
  }

  static byte[] event(int eventNo, String extra) {
    return ("{\"event_no\":" + eventNo + ",\"resource\":{\"mall_id\":\"fanout\",\"extra\":" + extra + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
