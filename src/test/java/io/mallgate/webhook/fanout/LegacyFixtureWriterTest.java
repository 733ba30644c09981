package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.sandbox.MutableClock;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.token.FileTokenStore;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.crypto.SealedTokenCodec;
import io.mallgate.webhook.FileLifecycleLedger;
import io.mallgate.webhook.FileWebhookLog;
import io.mallgate.webhook.WebhookEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Throwaway: writes the legacy-store fixtures with the file classes of the current release. */
@org.junit.jupiter.api.Disabled("writes src/test/resources/legacy-store with the file classes; run by hand")
class LegacyFixtureWriterTest {

  @Test
  void write() throws Exception {
    Path dir = Path.of("src/test/resources/legacy-store");
    Files.createDirectories(dir);
    Vertx vertx = Vertx.vertx();
    MutableClock clock = new MutableClock(Instant.parse("2024-06-01T05:00:00Z"));
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0x0a);
    SealedTokenCodec codec = new SealedTokenCodec(List.of(Secret.of("keyA:" + Base64.getEncoder().encodeToString(key))));
    FileTokenStore store = result(FileTokenStore.open(vertx, dir.resolve("tokens.json"), codec));
    for (String mall : List.of("legacyone", "legacytwo")) {
      JsonObject json = new JsonObject().put("access_token", "AT-" + mall).put("refresh_token", "RT-" + mall)
          .put("expires_at", "2030-01-01T00:00:00.000").put("refresh_token_expires_at", "2030-01-14T00:00:00.000")
          .put("mall_id", mall).put("client_id", "client").put("user_id", "user")
          .put("scopes", List.of("mall.read_product")).put("issued_at", "2024-06-01T00:00:00.000");
      TokenRecord put = result(store.put(mall, TokenResponse.fromJson(json)));
      result(store.compareAndSet(mall, put.version(), TokenResponse.fromJson(json.put("access_token", "AT2-" + mall))));
    }
    result(store.recordRefresh("legacyone", new TokenRecord.RefreshAttempt(Instant.parse("2024-06-01T01:00:00Z"),
        "refreshed", "ok")));
    result(store.markReauthorizationRequired("legacytwo", 2, new TokenRecord.Reauthorization("invalid_grant",
        "the refresh token was refused", Instant.parse("2024-06-01T02:00:00Z"))));
    result(store.close());

    GatewayConfig.Webhook config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", Path.of("unused"))
        .set("webhook.streamMaxLength", 4).set("webhook.dedupWindow", "1m").build().webhook();
    FileWebhookLog log = result(FileWebhookLog.open(vertx, dir.resolve("webhooks.jsonl"), config, clock));
    result(log.retainFor(() -> Long.MAX_VALUE));
    for (int i = 0; i < 12; i++) {
      clock.advance(Duration.ofMinutes(5));
      byte[] body = ("{\"event_no\":90023,\"resource\":{\"mall_id\":\"legacyone\",\"n\":" + i + "}}")
          .getBytes(StandardCharsets.UTF_8);
      result(log.append(WebhookEvent.of(WebhookEvent.DEFAULT_ROUTE, Buffer.buffer(body), clock.instant())));
    }
    Thread.sleep(1000); // throwaway writer: let the compaction finish
    result(log.close());

    List<String> lines = Files.readAllLines(dir.resolve("webhooks.jsonl"));
    long first = Long.parseLong(lines.get(0).replaceAll("\\D", ""));
    // The cursor: past the first two entries kept; the third failed twice.
    long offset = first + lines.get(1).length() + 1 + lines.get(2).length() + 1;
    new FileCursor(offset, new JsonObject(lines.get(3)).getString("id"), 2).save(dir.resolve("fanout-orders.cursor"));

    FanoutCounters counters = new FanoutCounters();
    FileDeadLetters dead = new FileDeadLetters(vertx, dir.resolve("webhook-dead-letters.jsonl"), 10, counters, clock);
    result(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(x -> dead.load()));
    StreamEntry entry = StreamEntry.fromJson(new JsonObject(lines.get(1)));
    result(dead.add(entry, Map.of("subscriber", "orders", "original_id", entry.id(), "attempts", "3",
        "last_status", "500", "last_error", "http 500", "dead_at", "2024-06-01T06:00:00Z")));

    FileLifecycleLedger ledger = result(FileLifecycleLedger.open(vertx, dir.resolve("tokens.json")));
    result(ledger.firstSeen("legacyone", "ab".repeat(32), Instant.parse("2024-05-01T00:00:00Z")));
    result(vertx.close());
  }
}
