package io.mallgate.store;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.sandbox.MutableClock;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.token.TokenRecord;
import io.mallgate.tracing.Tracing;
import io.mallgate.webhook.fanout.DeadLetterStore;
import io.mallgate.webhook.fanout.EmbeddedQueue;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade loses nothing: the files the file-store release wrote (src/test/resources/legacy-store, written by its
 * own classes: a compacted log, a cursor mid-log whose next event failed twice, a dead letter, a lifecycle sighting,
 * sealed tokens with a mark and a refresh note) are imported at the first start and renamed {@code *.migrated}.
 */
class LegacyImportTest {

  private static final String KEY_A = "keyA:" + java.util.Base64.getEncoder().encodeToString(filled((byte) 0x0a));

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private StateBackend backend;
  private Sqlite database;

  @AfterEach
  void close() {
    if (backend != null) {
      result(backend.close());
    }
    result(vertx.close());
  }

  private GatewayConfig config(String storeFile) {
    return TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir)
        .set("store.file", dir.resolve(storeFile).toString())
        .set("tokens.encryptionKeys", List.of(KEY_A))
        .set("webhook.subscribers", java.util.Map.of("orders", java.util.Map.of("url", "http://127.0.0.1:9/hook")))
        .build();
  }

  private void copyFixtures() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/legacy-store"))) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
  }

  @Test
  void should_import_every_legacy_file_and_rename_it_when_the_database_starts_beside_them() throws IOException {
    copyFixtures();
    // Just after the fixture's last webhook: inside its de-duplication window.
    MutableClock clock = new MutableClock(Instant.ofEpochMilli(1717221601000L));
    open(config("tokens.json"), clock, new FanoutCounters());

    TokenRecord one = result(backend.tokens().get("legacyone"));
    TokenRecord two = result(backend.tokens().get("legacytwo"));
    assertEquals(List.of("AT2-legacyone", 2L, "refreshed"), List.of(one.tokens().accessToken(), one.version(),
        one.lastRefresh().outcome()));
    assertEquals(List.of(3L, "invalid_grant"), List.of(two.version(), two.reauthorization().reason()));

    SqliteFanoutQueue queue = queue();
    EmbeddedQueue.Cursor cursor = result(queue.cursor("orders"));
    assertEquals(new EmbeddedQueue.Cursor(2, "1717221300000-0", 2), cursor, "past the two entries it had done");
    List<EmbeddedQueue.Queued> pending = result(queue.read(cursor.seq(), 10));
    assertEquals(List.of("1717221300000-0", "1717221600000-0"), pending.stream().map(q -> q.entry().id()).toList());
    assertEquals("{\"event_no\":90023,\"resource\":{\"mall_id\":\"legacyone\",\"n\":10}}",
        pending.get(0).entry().body().toString());

    DeadLetterStore.Page dead = result(queue.deadLetters().page("", "", 10));
    assertEquals(List.of("1717221600000-0"), dead.entries().stream().map(e -> e.id()).toList());
    assertEquals("1717220700000-0", dead.entries().get(0).field("original_id"));
    assertEquals(Instant.ofEpochMilli(1714521600000L), result(backend.lifecycle().firstSeen("legacyone",
        "ab".repeat(32), Instant.now())));
    assertEquals("duplicate", result(backend.webhooks().append(io.mallgate.webhook.WebhookEvent.of("default",
        pending.get(0).entry().body(), clock.instant()))).duplicate() ? "duplicate" : "new",
        "the imported log is the de-duplication window's too");

    try (Stream<Path> left = Files.list(dir)) {
      List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.containsAll(List.of("tokens.json.migrated", "webhooks.jsonl.migrated",
          "fanout-orders.cursor.migrated", "webhook-dead-letters.jsonl.migrated", "lifecycle.json.migrated",
          "mallgate.db")), names.toString());
      assertFalse(names.contains("tokens.json"), names.toString());
    }
  }

  @Test
  void should_import_nothing_twice_when_it_starts_again() throws IOException {
    copyFixtures();
    open(config("mallgate.db"), new MutableClock(Instant.now()),
        new FanoutCounters());
    assertNotNull(result(backend.tokens().get("legacyone")), "the default name imports tokens.json beside it");
    result(backend.close());
    Files.copy(Path.of("src/test/resources/legacy-store/webhooks.jsonl"), dir.resolve("webhooks.jsonl"));
    // As a start that crashed after the import's commit, before the rename, leaves it.
    open(config("mallgate.db"), new MutableClock(Instant.now()),
        new FanoutCounters());
    assertEquals(4, result(queue().read(0, 100)).size(), "the log imported once");
    assertTrue(Files.exists(dir.resolve("webhooks.jsonl.migrated")));
    assertFalse(Files.exists(dir.resolve("webhooks.jsonl")));
  }

  private void open(io.mallgate.config.GatewayConfig config, java.time.Clock clock, FanoutCounters counters) {
    EmbeddedBackend.Opened opened = result(EmbeddedBackend.openWithDatabase(vertx, config, clock, counters,
        Tracing.OFF));
    backend = opened.backend();
    database = opened.database();
  }

  /** The fan-out's view of the backend's database. */
  private SqliteFanoutQueue queue() {
    return new SqliteFanoutQueue(database,
        new SqliteDeadLetters(database, 10, new FanoutCounters(), java.time.Clock.systemUTC()));
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, value);
    return bytes;
  }
}
