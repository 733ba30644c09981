package io.mallgate.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The batched writer of {@code accessLog.output: stdout} writes, byte for byte, the lines logback writes for the same
 * request with the shipped {@code logback.xml} (logback itself is the oracle: the same event through its pattern and
 * its {@code JsonEncoder}); batches hold whole lines; a graceful close writes what waits; past its bound it drops and
 * counts instead of holding memory.
 */
class AccessLineWriterTest {

  private static final AccessLine PROXIED = new AccessLine(0, "", "myshop01", "orders-sync", "GET",
      "/malls/myshop01/api/v2/admin/products", 200, 1_412_345, 1_104_321L, "0123456789abcdef0123456789abcdef", null);
  /** A path with what JSON and a plain line must escape: a quote, a slash, a backslash, a control and a non-ASCII. */
  private static final AccessLine REFUSED = new AccessLine(0, "", "-", "-", "POST",
      "/malls/a\"b/x\\y\u0001\u00e9", 400, 52_000, null, "req-1", "invalid_mall_id");
  /** The string fields with what JSON escapes, though the gateway puts none there: the writer must not rely on it. */
  private static final AccessLine ODD_FIELDS = new AccessLine(0, "", "m/1", "app\"x", "GE\\T", "/", 200, 0,
      12_345_678_901L, "id/\\7\u0002", "a/b");
  /** Times the monotonic clock never gives and string fields left null: still what logback writes, signs and all. */
  private static final AccessLine ODD_VALUES = new AccessLine(0, "", null, null, "GET", null, 200, -100_000,
      -1_100_000L, null, null);

  @Test
  void should_write_what_logback_writes_with_the_shipped_plain_pattern() {
    for (AccessLine line : List.of(PROXIED, REFUSED, ODD_FIELDS, ODD_VALUES)) {
      ILoggingEvent event = throughLogback(line);
      AccessLine same = at(line, event);
      assertEquals(encode(plainEncoder(), event), written(false, same));
    }
  }

  @Test
  void should_write_what_logback_writes_with_the_shipped_json_encoder() {
    for (AccessLine line : List.of(PROXIED, REFUSED, ODD_FIELDS, ODD_VALUES)) {
      ILoggingEvent event = throughLogback(line);
      String written = written(true, at(line, event));
      assertEquals(encode(jsonEncoder(), event), written);
      JsonObject object = new JsonObject(written);
      assertEquals(String.valueOf(line.requestId()),
          object.getJsonArray("kvpList").getJsonObject(7).getString("request_id"));
    }
  }

  @Test
  void should_print_a_negative_time_with_its_sign_never_a_slash_for_its_last_digit() {
    String line = written(false, ODD_VALUES);

    assertTrue(line.endsWith("mall=null app=null method=GET path=- status=200 ms=-0.1 upstream_ms=-1.1 "
        + "request_id=null gateway_code=-\n"), line);
  }

  @Test
  void should_write_every_line_whole_once_when_many_threads_queue_at_once() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int threads = 4;
    int each = 5_000;
    AccessLineWriter writer = new AccessLineWriter(false, out, Duration.ofMillis(10));
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String thread = "loop-" + t;
      Thread producer = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          writer.accept(new AccessLine(System.currentTimeMillis(), thread, "m", "-", "GET", "/p/" + i, 200, 1, null,
              "id", null));
        }
      });
      producer.start();
      started.add(producer);
    }
    go.countDown();
    for (Thread producer : started) {
      producer.join();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> lines(out).size() == threads * each);
    writer.close();
    List<String> lines = lines(out);
    assertEquals(threads * each, lines.size());
    assertEquals(threads * each, lines.stream().distinct().count(), "no line written twice");
    assertTrue(lines.stream().allMatch(l -> l.contains(" INFO  [loop-") && l.endsWith(" gateway_code=-")), lines.get(0));
    assertEquals(0, writer.dropped());
  }

  @Test
  void should_write_the_waiting_lines_on_close_and_drop_and_count_past_its_byte_bound() throws Exception {
    // Long paths (as a flood of long request lines would send): a thread's buffer holds MAX_PENDING_BYTES of them.
    AccessLine longPath = new AccessLine(0, "loop", "m", "-", "GET", "/" + "x".repeat(4096), 404, 1, null, "id",
        "not_found");
    int fit = AccessLineWriter.MAX_PENDING_BYTES / written(false, longPath).length();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CountDownLatch unblocked = new CountDownLatch(1);
    // stdout blocked (a full pipe): the writer's thread waits in its first write, with one batch taken.
    OutputStream blocked = new OutputStream() {
      @Override
      public void write(int b) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
        try {
          unblocked.await();
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        out.write(bytes, offset, length);
      }
    };
    AccessLineWriter writer = new AccessLineWriter(false, blocked, Duration.ofSeconds(10));
    int accepted = 0;
    while (writer.dropped() == 0 && accepted < 3 * fit) {
      writer.accept(longPath);
      accepted++;
    }
    assertEquals(1, writer.dropped(), "past the bound a line is dropped and counted, never held");
    assertTrue(accepted > fit && accepted <= 2 * fit + 1,
        "the bound waits, beside at most the one batch the blocked writer holds: " + accepted + " of " + fit);
    for (int i = 0; i < 6; i++) {
      writer.accept(longPath);
    }
    assertEquals(7, writer.dropped());
    unblocked.countDown();
    writer.close();
    assertEquals(accepted - 1, lines(out).size(), "every line kept is written on close");
    writer.accept(PROXIED); // after close: never written, counted
    writer.close();
    assertEquals(8, writer.dropped());
  }

  /**
   * An event loop outlives a gateway redeployed on the same Vert.x: its buffer of the closed writer's must not keep
   * the writer (and its buffers) alive. Found by an adversarial review: the buffer was an inner class.
   */
  @Test
  void should_let_a_closed_writer_be_collected_while_a_thread_that_wrote_through_it_lives_on() throws Exception {
    java.lang.ref.WeakReference<AccessLineWriter> closed = writeOneLineAndClose();
    for (int i = 0; i < 20 && closed.get() != null; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertEquals(null, closed.get(), "a closed writer is still reachable from a thread that wrote a line through it");
  }

  private static java.lang.ref.WeakReference<AccessLineWriter> writeOneLineAndClose() {
    AccessLineWriter writer = new AccessLineWriter(false, new ByteArrayOutputStream(), Duration.ofMillis(10));
    writer.accept(PROXIED); // this (long-lived) thread now has a buffer of this writer's, as an event loop would
    writer.close();
    return new java.lang.ref.WeakReference<>(writer);
  }

  @Test
  void should_count_a_batch_stdout_refused_and_warn_once_without_the_lines() throws Exception {
    // What System.out does when its descriptor is closed: swallows the IOException, remembers it in checkError().
    PrintStream broken = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        throw new java.io.IOException("closed: canary-line-content");
      }
    }, true);
    try (io.mallgate.testsupport.LogCapture logs = io.mallgate.testsupport.LogCapture.capture()) {
      AccessLineWriter writer = new AccessLineWriter(false, broken, Duration.ofMillis(10));
      for (int i = 0; i < 5; i++) {
        writer.accept(PROXIED);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.dropped() == 5);
      writer.close();
      List<String> warned = logs.lines().stream().filter(l -> l.contains("could not be written")).toList();
      assertEquals(1, warned.size(), logs.lines().toString());
      assertTrue(logs.lines().stream().noneMatch(l -> l.contains("canary-line-content") || l.contains("myshop01")));
    }
  }

  @Test
  void should_escape_a_thread_name_with_control_characters_as_logback_json_does() throws Exception {
    AccessLine[] seen = new AccessLine[1];
    String[] logback = new String[1];
    Thread odd = new Thread(() -> {
      ILoggingEvent event = throughLogback(PROXIED);
      seen[0] = at(PROXIED, event);
      logback[0] = encode(jsonEncoder(), event);
    }, "loop\n\t\u0001\u001b/\"x\"");
    odd.start();
    odd.join();
    assertEquals(logback[0], written(true, seen[0]));
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static String written(boolean json, AccessLine line) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLineWriter writer = new AccessLineWriter(json, out, Duration.ofMillis(10));
    writer.accept(line);
    writer.close();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The event logback's {@code mallgate.access} logger gets for the line ({@code accessLog.output: logger}). */
  private static ILoggingEvent throughLogback(AccessLine line) {
    Logger access = (Logger) LoggerFactory.getLogger("mallgate.access");
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(access.getLoggerContext());
    list.start();
    Level level = access.getLevel();
    access.setLevel(Level.INFO);
    access.addAppender(list);
    try {
      new AccessLog.LoggerSink().accept(line);
    } finally {
      access.detachAppender(list);
      access.setLevel(level);
    }
    assertEquals(1, list.list.size());
    return list.list.get(0);
  }

  /** The line as the event logback made: its time and thread. */
  private static AccessLine at(AccessLine line, ILoggingEvent event) {
    return new AccessLine(event.getTimeStamp(), event.getThreadName(), line.mall(), line.app(), line.method(),
        line.rawPath(), line.status(), line.totalNanos(), line.upstreamNanos(), line.requestId(), line.gatewayCode());
  }

  private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private static Encoder<ILoggingEvent> plainEncoder() {
    return ShippedEncoders.of("plain", context());
  }

  private static Encoder<ILoggingEvent> jsonEncoder() {
    return ShippedEncoders.of("json", context());
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
