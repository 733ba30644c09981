package io.mallgate.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access lines' own writer ({@code accessLog.output: stdout}): an event loop only queues the captured
 * {@link AccessLine} (a lock-free offer, no wake-up); one daemon thread wakes every {@code flushInterval}, formats
 * what has queued and writes it in one call per batch. Through logback, each line cost an event, a queue hand-off that
 * woke logback's worker and a write system call: about a quarter of the gateway's CPU per proxied request on two cores
 * (docs/benchmarks.md); here it is a small fraction of that, as nginx's buffered {@code access_log} and Envoy's flush
 * interval do.
 *
 * <p>Lines are the ones logback writes with the shipped {@code conf/logback.xml}: the plain pattern, or the
 * {@code JsonEncoder}'s object (same keys, same order, the fields as {@code kvpList}). Each batch is whole lines and
 * goes out in one {@code write} on {@link System#out} by default, whose lock logback's console appender takes too, so
 * their lines never mix. At most {@link #MAX_PENDING_BYTES} of lines wait; more are dropped and counted
 * ({@link #dropped()}), as logback's {@code neverBlock} did, rather than hold memory without bound while stdout is
 * blocked; so is a batch stdout fails to take. Lines still waiting are written by {@link #close()} (a graceful stop);
 * a killed process loses at most one interval's lines.
 */
public final class AccessLineWriter implements Consumer<AccessLine>, AutoCloseable {

  /**
   * What lines may hold while they wait for the writer, counted as their path plus {@value #LINE_OVERHEAD} bytes: a
   * typical line is about 300 bytes, so some 50,000 lines, over a second of them at 40,000 requests a second; and
   * a flood of long paths (a request line may be 16 KiB) holds no more.
   */
  static final long MAX_PENDING_BYTES = 16L << 20;
  /** What a line holds besides its path: the record, the strings it shares or owns, the queue's node. */
  static final int LINE_OVERHEAD = 256;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLineWriter.class);
  private static final int BATCH_BYTES = 64 * 1024;
  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
  private static final char[] JSON_HEX = "0123456789ABCDEF".toCharArray();

  private final Queue<AccessLine> pending = new ConcurrentLinkedQueue<>();
  private final AtomicLong waitingBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final boolean json;
  private final OutputStream out;
  private final long intervalNanos;
  private final ZoneId zone = ZoneId.systemDefault();
  private final StringBuilder batch = new StringBuilder(BATCH_BYTES + 1024);
  private final StringBuilder scratch = new StringBuilder(256);
  private final Thread thread;
  private volatile boolean closed;
  private long cachedSecond = Long.MIN_VALUE;
  private String secondText = "";
  private String offsetText = "";
  private boolean failedOnce;
  private int batchLines;

  /**
   * Starts the writer's thread.
   *
   * @param json          {@code true}: logback's JSON objects; {@code false}: its plain pattern
   * @param out           where the batches go ({@link System#out} for the gateway)
   * @param flushInterval how long a line may wait before it is written
   */
  public AccessLineWriter(boolean json, OutputStream out, java.time.Duration flushInterval) {
    this.json = json;
    this.out = out;
    this.intervalNanos = flushInterval.toNanos();
    this.thread = new Thread(this::run, "mallgate-access-log");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a line (any thread, never blocks). Dropped and counted when {@link #MAX_PENDING_BYTES} already wait, or
   * once the writer is closed (a request that ended after the gateway's stop).
   */
  @Override
  public void accept(AccessLine line) {
    long weight = weight(line);
    if (closed || waitingBytes.addAndGet(weight) > MAX_PENDING_BYTES) {
      if (!closed) {
        waitingBytes.addAndGet(-weight);
      }
      dropped.incrementAndGet();
      return;
    }
    pending.offer(line);
  }

  private static long weight(AccessLine line) {
    return LINE_OVERHEAD + (line.rawPath() == null ? 0 : line.rawPath().length());
  }

  /** Lines not written: the queue full, stdout failing, or queued after {@link #close()}. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Writes what still waits, then stops the thread; a line queued from here on is dropped and counted. Blocks up to
   * 5 s (call it on a worker). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Offered while the last batch was made, or the thread did not finish in time: counted, never silently lost.
    for (AccessLine line; (line = pending.poll()) != null; ) {
      dropped.incrementAndGet();
    }
  }

  private void run() {
    while (!closed) {
      LockSupport.parkNanos(this, intervalNanos);
      drain();
    }
    drain();
  }

  private void drain() {
    for (AccessLine line; (line = pending.poll()) != null; ) {
      waitingBytes.addAndGet(-weight(line));
      int before = batch.length();
      try {
        append(line);
        batchLines++;
      } catch (RuntimeException | Error e) { // a line that cannot be made must not stop the thread for good
        batch.setLength(before);
        dropped.incrementAndGet();
        warnOnce("an access line could not be formatted", e);
      }
      if (batch.length() >= BATCH_BYTES) {
        flush();
      }
    }
    flush();
  }

  private void append(AccessLine line) {
    if (json) {
      appendJson(line);
    } else {
      appendTimestamp(line.epochMillis());
      batch.append(" INFO  [").append(line.thread()).append("] mallgate.access - ");
      line.appendMessage(batch);
    }
    batch.append('\n');
  }

  /** logback's {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}}, the date and offset made once a second. */
  private void appendTimestamp(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != cachedSecond) {
      var time = Instant.ofEpochSecond(second).atZone(zone);
      secondText = SECOND.format(time);
      offsetText = OFFSET.format(time);
      cachedSecond = second;
    }
    int millis = (int) Math.floorMod(epochMillis, 1000);
    batch.append(secondText).append('.');
    if (millis < 100) {
      batch.append(millis < 10 ? "00" : "0");
    }
    batch.append(millis).append(offsetText);
  }

  /** The object logback's {@code JsonEncoder} writes for the access line with the shipped settings. */
  private void appendJson(AccessLine line) {
    batch.append("{\"timestamp\":").append(line.epochMillis()).append(",\"level\":\"INFO\",\"threadName\":");
    quoted(line.thread());
    batch.append(",\"loggerName\":\"mallgate.access\",\"mdc\": {},\"kvpList\": [");
    for (int i = 0; i < AccessLine.NAMES.length; i++) {
      batch.append(i == 0 ? "{\"" : ",{\"").append(AccessLine.NAMES[i]).append("\":");
      scratch.setLength(0);
      line.appendField(i, scratch);
      quoted(scratch);
      batch.append('}');
    }
    batch.append("],\"formattedMessage\":");
    scratch.setLength(0);
    line.appendMessage(scratch);
    quoted(scratch);
    batch.append(",\"throwable\":null}");
  }

  /** A JSON string, escaped as logback's {@code JsonEscapeUtil} escapes it ({@code /} included). */
  private void quoted(CharSequence text) {
    batch.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> batch.append("\\\"");
        case '\\' -> batch.append("\\\\");
        case '/' -> batch.append("\\/");
        case '\b' -> batch.append("\\b");
        case '\t' -> batch.append("\\t");
        case '\n' -> batch.append("\\n");
        case '\f' -> batch.append("\\f");
        case '\r' -> batch.append("\\r");
        default -> {
          if (c < 0x20) {
            batch.append("\\u00").append(JSON_HEX[c >> 4]).append(JSON_HEX[c & 0xf]);
          } else {
            batch.append(c);
          }
        }
      }
    }
    batch.append('"');
  }

  private void flush() {
    if (batch.length() == 0) {
      return;
    }
    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
    int lines = batchLines;
    batch.setLength(0);
    batchLines = 0;
    boolean failed;
    Throwable cause = null;
    try {
      out.write(bytes);
      out.flush();
      // A PrintStream (System.out) swallows its I/O errors and only remembers that one happened.
      failed = out instanceof PrintStream print && print.checkError();
    } catch (IOException | RuntimeException e) {
      failed = true;
      cause = e;
    }
    if (failed) { // stdout closed or broken under us: the batch is lost; counted, and said once
      dropped.addAndGet(lines);
      warnOnce("access lines could not be written to stdout; dropping them", cause);
    }
  }

  private void warnOnce(String what, Throwable cause) {
    if (!failedOnce) {
      failedOnce = true;
      // the exception's class only: a message could quote a line's content
      LOG.warn("{} ({}); counted in mallgate_access_lines_dropped_total", what,
          cause == null ? "checkError" : cause.getClass().getSimpleName());
    }
  }
}
