package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.fanout.FanoutTest.CANARY;
import static io.mallgate.webhook.fanout.FanoutTest.assertOnceEach;
import static io.mallgate.webhook.fanout.FanoutTest.deadLetters;
import static io.mallgate.webhook.fanout.FanoutTest.event;
import static io.mallgate.webhook.fanout.FanoutTest.hmac;
import static io.mallgate.webhook.fanout.FanoutTest.post;
import static io.mallgate.webhook.fanout.FanoutTest.postEvents;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.SqliteFile;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP fan-out of the embedded mode (no Redis) end to end: real gateways on one data dir, real subscribers. */
@Timeout(120)
@Slow
class EmbeddedFanoutTest {

  @TempDir
  Path dir;

  private TestConfig config(GatewayFixture fixture, Map<String, Object> subscribers, int maxAttempts) {
    return fixture.config("", dir)
        .set("webhook.subscribers", subscribers)
        .set("webhook.delivery", Map.of("maxAttempts", maxAttempts, "backoff", "100ms", "maxBackoff", "400ms",
            "pollInterval", "100ms", "batchSize", 4));
  }

  private static Map<String, Object> subscriber(TestSubscriber target, List<Integer> events) {
    return Map.of("url", target.url(), "events", events, "secret", CANARY, "timeout", "1s");
  }

  @Test
  void should_deliver_each_event_once_in_order_when_the_subscriber_is_down_then_comes_back() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      RunningGateway gateway = fixture.deploy(config(fixture, Map.of("orders", subscriber(target, List.of())), 50));
      List<String> ids = postEvents(fixture, gateway, 6, "down");
      await("the first event refused twice").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 2);
      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      assertOnceEach(target, ids);
      assertEquals(ids, target.received.stream().filter(r -> r.answered() == 200).map(TestSubscriber.Received::eventId)
          .toList(), "in the log's order");
    }
  }

  @Test
  void should_lose_nothing_when_the_gateway_restarts_on_the_same_files_while_the_subscriber_is_down()
      throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      Map<String, Object> subscribers = Map.of("orders", subscriber(target, List.of()));
      RunningGateway first = fixture.deploy(config(fixture, subscribers, 50));
      List<String> ids = new ArrayList<>(postEvents(fixture, first, 4, "before"));
      await("the first instance tried").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 2);
      result(first.stop());
      RunningGateway second = fixture.deploy(config(fixture, subscribers, 50));
      ids.addAll(postEvents(fixture, second, 4, "after"));
      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      assertOnceEach(target, ids);
      assertEquals(List.of("orders"), SqliteFile.column(db(), "SELECT subscriber FROM fanout_cursors"));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db())));
    }
  }

  @Test
  void should_send_only_events_recorded_after_its_first_start_when_a_subscriber_is_new() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      RunningGateway before = fixture.deploy(config(fixture, Map.of(), 3));
      postEvents(fixture, before, 2, "history");
      result(before.stop());
      RunningGateway after = fixture.deploy(config(fixture, Map.of("orders", subscriber(target, List.of())), 3));
      List<String> fresh = postEvents(fixture, after, 1, "fresh");
      await("the new event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.containsKey(fresh.get(0)));
      assertOnceEach(target, fresh);
    }
  }

  @Test
  void should_keep_replayable_and_deletable_dead_letters_across_restarts_when_the_subscriber_always_fails()
      throws Exception {
    try (LogCapture logs = LogCapture.capture();
        GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(500);
      Map<String, Object> subscribers = Map.of("orders", subscriber(target, List.of()));
      RunningGateway first = fixture.deploy(config(fixture, subscribers, 3));
      List<String> ids = postEvents(fixture, first, 2, "dead");
      await("two dead letters").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> deadLetters(fixture, first).size() == 2);
      assertEquals(6, target.refused(), "exactly maxAttempts attempts each");
      JsonArray dead = deadLetters(fixture, first);
      assertEquals(List.of("orders", ids.get(0), "3", "500"), List.of(dead.getJsonObject(0).getString("subscriber"),
          dead.getJsonObject(0).getString("original_id"), dead.getJsonObject(0).getString("attempts"),
          dead.getJsonObject(0).getString("last_status")));
      JsonArray paged = fixture.admin(first, HttpMethod.GET, "/admin/webhooks/dead-letters?count=1")
          .bodyAsJsonObject().getJsonArray("dead_letters");
      assertEquals(1, paged.size());
      String deleted = dead.getJsonObject(1).getString("id");
      assertEquals(200, fixture.admin(first, HttpMethod.DELETE, "/admin/webhooks/dead-letters/" + deleted)
          .statusCode());
      result(first.stop());

      RunningGateway second = fixture.deploy(config(fixture, subscribers, 3));
      JsonArray kept = deadLetters(fixture, second);
      assertEquals(List.of(dead.getJsonObject(0).getString("id")), kept.stream()
          .map(entry -> ((io.vertx.core.json.JsonObject) entry).getString("id")).toList(), "the deletion lasted");
      target.answer(200);
      HttpResponse<Buffer> replayed = fixture.admin(second, HttpMethod.POST,
          "/admin/webhooks/dead-letters/" + kept.getJsonObject(0).getString("id") + "/replay");
      assertEquals(200, replayed.statusCode(), replayed.bodyAsString());
      assertEquals(1, target.accepted.get(ids.get(0)).get(), "delivered under its original id");
      assertTrue(deadLetters(fixture, second).isEmpty(), "gone from the list");
      StringBuilder stored = new StringBuilder();
      for (String suffix : List.of("", "-wal")) {
        Path file = dir.resolve("mallgate.db" + suffix);
        if (Files.exists(file)) {
          stored.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
      assertFalse(stored.toString().contains(CANARY), "the secret is not in the store (dead letters included)");
      assertEquals(List.of(), logs.linesContaining(CANARY));
    }
  }

  @Test
  void should_forward_only_the_filtered_events_signed_byte_for_byte_when_a_subscriber_filters() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber orders = new TestSubscriber(fixture.vertx);
        TestSubscriber all = new TestSubscriber(fixture.vertx)) {
      RunningGateway gateway = fixture.deploy(config(fixture, Map.of("orders",
          subscriber(orders, List.of(90023)), "all", Map.of("url", all.url())), 3));
      byte[] created = event(90001, "{\"note\":\"한글 ünïcode\"}");
      byte[] paid = event(90023, "{\"note\":\"한글 ünïcode\"}");
      String createdId = post(fixture, gateway, created);
      String paidId = post(fixture, gateway, paid);
      await("'all' got both").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> all.accepted.keySet().containsAll(Set.of(createdId, paidId)));
      await("'orders' got 90023").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> orders.accepted.containsKey(paidId));
      assertEquals(1, orders.received.size(), "90001 never reached 'orders' (it comes first in the log)");
      TestSubscriber.Received got = orders.received.get(0);
      assertEquals(Buffer.buffer(paid), got.body(), "the raw bytes as Cafe24 sent them");
      assertEquals(hmac(CANARY, got.body().getBytes()), got.headers().get("X-Mallgate-Hmac-Sha256"));
      assertEquals(List.of(paidId, "90023", "fanout"), List.of(got.eventId(),
          got.headers().get("X-Mallgate-Event-No"), got.headers().get("X-Mallgate-Mall-Id")));
      assertEquals(null, all.received.get(0).headers().get("X-Mallgate-Hmac-Sha256"), "no secret, no signature");
    }
  }

  private Path db() {
    return dir.resolve("mallgate.db");
  }

  /** The ids of the events in the embedded log, in order. */
  private List<String> idsInLog() {
    return SqliteFile.column(db(), "SELECT id FROM webhooks ORDER BY seq");
  }

  private TestConfig bounded(GatewayFixture fixture, Map<String, Object> subscribers, int maxAttempts,
      int streamMaxLength) {
    // A window of 1 ms holds nothing back: what the log keeps is up to the bound and the subscribers.
    return config(fixture, subscribers, maxAttempts).set("webhook.streamMaxLength", streamMaxLength)
        .set("webhook.dedupWindow", "1ms");
  }

  @Test
  void should_keep_the_log_bounded_when_the_subscriber_keeps_up() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      RunningGateway gateway = fixture.deploy(bounded(fixture, Map.of("orders", subscriber(target, List.of())), 3,
          10));
      List<String> ids = new ArrayList<>();
      long largest = 0;
      for (int round = 0; round < 15; round++) {
        ids.addAll(postEvents(fixture, gateway, 10, "bounded-" + round));
        await("round " + round + " delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> target.accepted.keySet().containsAll(ids));
        largest = Math.max(largest, idsInLog().size());
      }
      assertOnceEach(target, ids);
      List<String> kept = idsInLog();
      System.out.printf("embedded fan-out, streamMaxLength 10: %d events; the log now %d rows (largest seen %d)%n",
          ids.size(), kept.size(), largest);
      assertEquals(ids.subList(ids.size() - kept.size(), ids.size()), kept, "the newest, in order");
      assertTrue(largest <= 21, "at most streamMaxLength, its tenth and a round not yet taken: " + largest);
    }
  }

  @Test
  void should_keep_and_deliver_once_what_a_down_subscriber_has_not_taken_when_the_log_is_compacted() {
    try (LogCapture logs = LogCapture.capture();
        GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber up = new TestSubscriber(fixture.vertx);
        TestSubscriber down = new TestSubscriber(fixture.vertx)) {
      down.answer(503);
      RunningGateway gateway = fixture.deploy(bounded(fixture, Map.of("up", subscriber(up, List.of()),
          "down", subscriber(down, List.of())), 1000, 5));
      List<String> ids = postEvents(fixture, gateway, 30, "held");
      await("'up' got every event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> up.accepted.keySet().containsAll(ids));
      await("'down' refused twice").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> down.refused() >= 2);
      assertTrue(idsInLog().containsAll(ids), "'down' has not taken them: all 30 kept, beyond streamMaxLength 5");
      assertFalse(logs.linesContaining("a subscriber has yet to take the oldest").isEmpty(), "a WARN says why");

      down.answer(200);
      await("'down' got every event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> down.accepted.keySet().containsAll(ids));
      assertOnceEach(down, ids);
      assertEquals(ids, down.received.stream().filter(r -> r.answered() == 200).map(TestSubscriber.Received::eventId)
          .toList(), "in the log's order");
      List<String> more = postEvents(fixture, gateway, 10, "more");
      await("both got the next ones").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> up.accepted.keySet().containsAll(more)
              && down.accepted.keySet().containsAll(more));
      await("once taken, they go").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> java.util.Collections.disjoint(idsInLog(), ids));
      assertOnceEach(up, concat(ids, more));
    }
  }

  @Test
  void should_deliver_nothing_twice_and_lose_nothing_when_the_gateway_restarts_after_a_compaction()
      throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      Map<String, Object> subscribers = Map.of("orders", subscriber(target, List.of()));
      RunningGateway first = fixture.deploy(bounded(fixture, subscribers, 50, 5));
      List<String> ids = new ArrayList<>(postEvents(fixture, first, 20, "taken"));
      await("the first 20 accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      target.answer(503);
      ids.addAll(postEvents(fixture, first, 5, "pending"));
      await("a pending one refused").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 1);
      result(first.stop());
      long oldest = SqliteFile.number(db(), "SELECT MIN(seq) FROM webhooks");
      long last = SqliteFile.number(db(), "SELECT MAX(seq) FROM webhooks");
      long cursor = SqliteFile.number(db(), "SELECT seq FROM fanout_cursors WHERE subscriber = 'orders'");
      System.out.printf("after a compaction: the log holds rows %d to %d; the cursor is at %d%n", oldest, last, cursor);
      assertTrue(oldest > 1 && cursor >= oldest - 1 && cursor < last,
          "the log was compacted, and the cursor names a row among those kept");

      RunningGateway second = fixture.deploy(bounded(fixture, subscribers, 50, 5));
      ids.addAll(postEvents(fixture, second, 5, "after"));
      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      assertOnceEach(target, ids);
    }
  }

  @Test
  void should_keep_only_the_newest_stream_max_length_dead_letters_when_more_pile_up() throws Exception {
    try (LogCapture logs = LogCapture.capture();
        GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(500);
      Map<String, Object> subscribers = Map.of("orders", subscriber(target, List.of()));
      RunningGateway first = fixture.deploy(bounded(fixture, subscribers, 1, 3));
      List<String> ids = postEvents(fixture, first, 7, "dead");
      await("seven given up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> first.gateway().fanoutCounters().deadLetteredCount() == 7);
      List<String> newest = ids.subList(4, 7);
      assertEquals(newest, originals(deadLetters(fixture, first)), "the oldest dropped first");
      assertEquals(4, first.gateway().fanoutCounters().deadLettersDroppedCount());
      assertEquals(4, logs.linesContaining("dropped, the oldest").size(), "a WARN line each");
      String metrics = fixture.get(first, "/metrics").bodyAsString();
      assertTrue(metrics.contains("mallgate_webhook_dead_letters_dropped_total 4.0"), metrics);
      result(first.stop());

      RunningGateway second = fixture.deploy(bounded(fixture, subscribers, 1, 3));
      assertEquals(newest, originals(deadLetters(fixture, second)), "the same three after a restart");
      assertEquals(3, SqliteFile.number(db(), "SELECT COUNT(*) FROM dead_letters"), "the dropped ones are gone");
    }
  }

  private static List<String> originals(JsonArray deadLetters) {
    return deadLetters.stream().map(entry -> ((JsonObject) entry).getString("original_id")).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }
}
