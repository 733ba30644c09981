package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import io.mallgate.sandbox.MutableClock;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.webhook.FileWebhookLog;
import io.mallgate.webhook.WebhookEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cursor's log offset names the same entry before and after the log is compacted under it. */
@Timeout(60)
class LogReaderTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  @Test
  void should_read_the_same_entries_at_the_same_offsets_when_the_log_was_compacted_in_between() throws Exception {
    Path file = dir.resolve("webhooks.jsonl");
    GatewayConfig.Webhook config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", "", dir)
        .set("webhook.streamMaxLength", 2).set("webhook.dedupWindow", "1ms").build().webhook();
    MutableClock clock = new MutableClock(Instant.parse("2024-06-01T05:00:00Z"));
    FileWebhookLog log = result(FileWebhookLog.open(vertx, file, config, clock));
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1)); // out of the window at once: only the reader holds entries back
      byte[] body = ("{\"event_no\":90023,\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      result(log.append(WebhookEvent.of(WebhookEvent.DEFAULT_ROUTE, Buffer.buffer(body), clock.instant())));
    }
    List<LogReader.Line> before = LogReader.read(file, 0, 100, 4096).lines();
    long cursor = before.get(3).end(); // a reader that took the first four

    result(log.retainFor(() -> cursor));
    await("the log compacted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> readFirstLine(file).startsWith("{\"first_offset\":"));

    LogReader.Batch after = LogReader.read(file, cursor, 100, 4096);
    assertEquals(cursor, after.from());
    assertEquals(ids(before.subList(4, 10)), ids(after.lines()), "the same entries after the cursor");
    assertEquals(ends(before.subList(4, 10)), ends(after.lines()), "at the same offsets");
    assertEquals(new LogReader.Span(cursor, before.get(9).end()), LogReader.span(file));
    LogReader.Batch fromStart = LogReader.read(file, 0, 100, 4096);
    assertEquals(cursor, fromStart.from(), "an offset compacted away reads from the first entry kept");
    result(log.close());
  }

  private static String readFirstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> ids(List<LogReader.Line> lines) {
    List<String> ids = new ArrayList<>();
    lines.forEach(line -> ids.add(line.entry().id()));
    return ids;
  }

  private static List<Long> ends(List<LogReader.Line> lines) {
    List<Long> ends = new ArrayList<>();
    lines.forEach(line -> ends.add(line.end()));
    return ends;
  }
}
