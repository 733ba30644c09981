package io.mallgate.webhook;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.sandbox.MutableClock;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded webhook log on real files: compaction keeps it bounded without dropping what a reader or the
 * de-duplication window still needs, never loses an acknowledged append (appends go on during a compaction), and a
 * crash that left a compaction's temporary file behind is cleaned up at open.
 */
@Timeout(120)
@Slow
class FileWebhookLogTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2024-06-01T05:00:00Z"));

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  private Path file() {
    return dir.resolve("webhooks.jsonl");
  }

  private static GatewayConfig.Webhook config(int streamMaxLength, String dedupWindow) {
    return TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", Path.of("unused"))
        .set("webhook.streamMaxLength", streamMaxLength)
        .set("webhook.dedupWindow", dedupWindow)
        .build().webhook();
  }

  private FileWebhookLog open(GatewayConfig.Webhook config) {
    return result(FileWebhookLog.open(vertx, file(), config, clock));
  }

  private WebhookEvent event(String tag) {
    byte[] body = ("{\"event_no\":90023,\"resource\":{\"mall_id\":\"logtest\",\"tag\":\"" + tag + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    return WebhookEvent.of(WebhookEvent.DEFAULT_ROUTE, Buffer.buffer(body), clock.instant());
  }

  /** Appends one event after the other, the clock moving a second each; the ids accepted, in order. */
  private List<String> appendEach(WebhookLog log, String tag, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clock.advance(Duration.ofSeconds(1));
      WebhookLog.Acceptance accepted = result(log.append(event(tag + "-" + i)));
      assertFalse(accepted.duplicate(), tag + "-" + i);
      ids.add(accepted.id());
    }
    return ids;
  }

  /** The ids of the entries in the file, in order (the header is not an entry). */
  private List<String> idsInFile() throws IOException {
    return Files.readAllLines(file()).stream().map(JsonObject::new).filter(line -> line.containsKey("id"))
        .map(line -> line.getString("id")).toList();
  }

  /** Waits (polling the file, never an event loop) for a compaction to have left at most {@code entries} entries. */
  private List<String> untilAtMost(int entries) throws IOException {
    await("at most " + entries + " entries in the log")
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> idsInFile().size() <= entries);
    return idsInFile();
  }

  @Test
  void should_stay_within_stream_max_length_and_a_tenth_when_no_reader_holds_entries_back() throws IOException {
    FileWebhookLog log = open(config(20, "1s"));
    result(log.retainFor(() -> Long.MAX_VALUE));
    List<String> ids = new ArrayList<>();
    long largest = 0;
    for (int round = 0; round < 25; round++) {
      ids.addAll(appendEach(log, "bounded-" + round, 20));
      largest = Math.max(largest, Files.size(file()));
    }
    List<String> kept = untilAtMost(22);
    assertEquals(ids.subList(ids.size() - kept.size(), ids.size()), kept, "the newest, in order, none missing");
    assertTrue(kept.size() >= 20, "at least streamMaxLength kept: " + kept.size());
    assertTrue(Files.readString(file()).startsWith("{\"first_offset\":"), "a compacted log starts with its header");
    long total = totalAppended();
    System.out.printf("bounded log: %d entries appended (%d bytes in all), file now %d entries, %d bytes; "
        + "largest seen %d bytes%n", ids.size(), total, kept.size(), Files.size(file()), largest);
    assertTrue(largest < total / 10, "the file never held more than a fraction of what was appended");
    result(log.close());
  }

  @Test
  void should_keep_every_entry_a_reader_has_yet_to_take_then_let_them_go_once_taken() throws IOException {
    FileWebhookLog log = open(config(5, "1s"));
    AtomicLong needed = new AtomicLong(0);
    result(log.retainFor(needed::get));
    List<String> ids = appendEach(log, "held", 40);
    assertEquals(ids, idsInFile(), "a reader at offset 0 holds every entry");
    needed.set(Long.MAX_VALUE); // the reader took them all
    ids.addAll(appendEach(log, "after", 2));
    List<String> kept = untilAtMost(6);
    assertEquals(ids.subList(ids.size() - kept.size(), ids.size()), kept);
    result(log.close());
  }

  @Test
  void should_find_copies_of_the_entries_of_the_window_across_a_compaction_and_a_restart() throws IOException {
    GatewayConfig.Webhook config = config(5, "1h");
    FileWebhookLog log = open(config);
    result(log.retainFor(() -> Long.MAX_VALUE));
    List<String> old = appendEach(log, "old", 30);
    clock.advance(Duration.ofHours(2)); // the old ones leave the window
    List<String> recent = appendEach(log, "recent", 30);
    List<String> kept = untilAtMost(30);
    assertEquals(recent, kept, "the window's entries are kept, beyond streamMaxLength; the older ones went");

    WebhookLog.Acceptance again = result(log.append(event("recent-0")));
    assertEquals(new WebhookLog.Acceptance(true, recent.get(0)), again, "a copy within the window, after compaction");
    result(log.close());

    FileWebhookLog reopened = open(config);
    assertEquals(new WebhookLog.Acceptance(true, recent.get(29)), result(reopened.append(event("recent-29"))),
        "read back from the compacted file after a restart");
    WebhookLog.Acceptance outside = result(reopened.append(event("old-0")));
    assertFalse(outside.duplicate(), "a copy of one outside the window is a new event");
    assertFalse(old.contains(outside.id()));
    result(reopened.close());
  }

  @Test
  void should_acknowledge_only_what_the_compacted_file_holds_when_appends_race_a_compaction() throws IOException {
    // The system clock: each entry leaves the 1 ms window as soon as it is written, so compactions run during the race.
    FileWebhookLog log = result(FileWebhookLog.open(vertx, file(), config(50, "1ms"), Clock.systemUTC()));
    result(log.retainFor(() -> Long.MAX_VALUE));
    // All 400 are in flight when the first compaction starts (after about 56 are written): the others are written
    // while it copies, or held while it swaps the file. Bodies of 64 KiB make each copy megabytes long.
    String filler = "x".repeat(64 << 10);
    try (LogCapture logs = LogCapture.capture()) {
      List<Future<WebhookLog.Acceptance>> racing = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        racing.add(log.append(event("race-" + i + "-" + filler)));
      }
      List<String> all = new ArrayList<>(result(Future.all(racing), 90).<WebhookLog.Acceptance>list().stream()
          .map(WebhookLog.Acceptance::id).toList());
      assertEquals(400, all.stream().distinct().count(), "every one accepted, none a duplicate");
      for (int i = 0; i < 6; i++) { // enough for one more check once the race is over
        all.add(result(log.append(event("last-" + i))).id());
      }
      List<String> kept = untilAtMost(55);
      assertEquals(all.subList(all.size() - kept.size(), all.size()), kept,
          "the file holds the newest acknowledged entries, in order, without a gap");
      List<String> compactions = logs.linesContaining("compacted:");
      assertFalse(compactions.isEmpty());
      compactions.forEach(System.out::println);
    }
    result(log.close());
  }

  @Test
  void should_remove_a_compaction_left_half_done_by_a_crash_and_keep_the_log_whole_when_it_opens() throws IOException {
    GatewayConfig.Webhook config = config(1000, "24h");
    FileWebhookLog log = open(config);
    List<String> ids = appendEach(log, "whole", 10);
    result(log.close());
    // What a crash in the middle of a compaction leaves: the log as it was, a replacement half written beside it.
    Path leftover = dir.resolve("webhooks.jsonl.5138830209.tmp");
    Files.write(leftover, "{\"first_offset\":812}\n{\"id\":\"1717218000000-0\",\"route\":\"def".getBytes());
    Files.writeString(dir.resolve("tokens.json.77.tmp"), "not the log's");

    try (LogCapture logs = LogCapture.capture()) {
      FileWebhookLog reopened = open(config);
      assertFalse(Files.exists(leftover), "the half-done compaction is gone");
      assertTrue(Files.exists(dir.resolve("tokens.json.77.tmp")), "another file's temporary files are not the log's");
      assertEquals(ids, idsInFile(), "the log is whole");
      assertEquals(new WebhookLog.Acceptance(true, ids.get(3)), result(reopened.append(event("whole-3"))));
      assertEquals(List.of(), logs.linesContaining("cannot be opened"));
      result(reopened.close());
    }
  }

  private long totalAppended() throws IOException {
    // The header names the log offset of the first entry kept: what went before it was appended, then compacted away.
    try (Stream<String> lines = Files.lines(file())) {
      List<String> all = lines.toList();
      long first = all.get(0).startsWith("{\"first_offset\":") ? new JsonObject(all.get(0)).getLong("first_offset")
          : 0;
      long kept = all.stream().filter(line -> !line.startsWith("{\"first_offset\":"))
          .mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1L).sum();
      return first + kept;
    }
  }
}
