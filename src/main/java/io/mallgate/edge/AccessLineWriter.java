package io.mallgate.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access lines' own writer ({@code accessLog.output: stdout}). The thread that ends a request (its event loop)
 * formats the line at once into a buffer of its own — the request's facts are still in that core's cache, and nothing
 * is queued per line: no queue node, no shared counter, no record kept alive until a batch; one daemon thread wakes
 * every {@code flushInterval} (or as soon as a buffer holds {@link #WAKE_BYTES}), takes each buffer's text and writes
 * it in one call. Through logback, each line cost an event, a queue hand-off that woke logback's worker and a write
 * system call: about a quarter of the gateway's CPU per proxied request on two cores (docs/benchmarks.md); here it is
 * a small fraction of that, as nginx's buffered {@code access_log} and Envoy's flush interval do.
 *
 * <p>Lines are the ones logback writes with the shipped {@code conf/logback.xml}: the plain pattern, or the
 * {@code JsonEncoder}'s object (same keys, same order, the fields as {@code kvpList}). Each write is whole lines and
 * goes out on {@link System#out} by default, whose lock logback's console appender takes too, so their lines never
 * mix; the lines of one thread keep their order. At most {@link #MAX_PENDING_BYTES} of lines wait per thread; more
 * are dropped and counted ({@link #dropped()}), as logback's {@code neverBlock} did, rather than hold memory without
 * bound while stdout is blocked; so are the lines of a write stdout fails to take. Lines still waiting are written
 * by {@link #close()} (a graceful stop); a killed process loses at most one interval's lines.
 */
public final class AccessLineWriter implements Consumer<AccessLine>, AutoCloseable {

  /**
   * The bytes of lines that may wait in one thread's buffer: a typical line is about 200 bytes, so some 20,000
   * lines, half a second of them at 40,000 requests a second on one event loop (the writer takes a buffer long
   * before, at {@link #WAKE_BYTES}); and a flood of long paths (a request line may be 16 KiB) holds no more. With N
   * event loops, N times this at most, and only while stdout is blocked.
   */
  static final int MAX_PENDING_BYTES = 4 << 20;
  /** A buffer this full wakes the writer before its interval is out, so a busy loop never nears the bound. */
  static final int WAKE_BYTES = 256 << 10;
  /** A buffer that grew past this while stdout was blocked is not kept at that size once written. */
  private static final int KEPT_CAPACITY = 1 << 20;
  private static final int INITIAL_CAPACITY = 16 << 10;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLineWriter.class);
  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
  private static final char[] JSON_HEX = "0123456789ABCDEF".toCharArray();

  /** Each thread's own buffer, made at its first line; the writer takes them all in turn. */
  private final ThreadLocal<Lines> local = ThreadLocal.withInitial(this::register);
  private final List<Lines> all = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final boolean json;
  private final OutputStream out;
  private final long intervalNanos;
  private final ZoneId zone = ZoneId.systemDefault();
  private final Thread thread;
  private volatile boolean closed;
  /** The writer's thread only. */
  private boolean failedOnce;

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
   * Formats the line into the calling thread's buffer (any thread; never blocks on I/O). Dropped and counted when
   * the thread's buffer already holds {@link #MAX_PENDING_BYTES}, or once the writer is closed (a request that ended
   * after the gateway's stop).
   */
  @Override
  public void accept(AccessLine line) {
    if (closed || !local.get().add(line)) {
      dropped.incrementAndGet();
    }
  }

  private Lines register() {
    Lines lines = new Lines(Thread.currentThread(), json, zone, thread);
    all.add(lines);
    return lines;
  }

  /** Lines not written: a thread's buffer full, stdout failing, or a line after {@link #close()}. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Writes what still waits, then stops the thread; a line added from here on is dropped and counted. Blocks up to
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
    // Added while the last batch was taken, or the thread did not finish in time: counted, never silently lost.
    // Each buffer is let go: a thread that wrote through this writer outlives it (a redeploy on the same Vert.x).
    for (Lines lines : all) {
      dropped.addAndGet(lines.release());
    }
    all.clear();
  }

  private void run() {
    while (!closed) {
      LockSupport.parkNanos(this, intervalNanos);
      drain();
    }
    drain();
  }

  /** Writes each thread's waiting lines; forgets the buffer of a thread that has ended once it is empty. */
  private void drain() {
    for (Lines lines : all) {
      Batch batch = lines.take();
      if (batch.count() > 0) {
        write(batch);
        lines.recycle(batch.text());
      } else if (!lines.owner.isAlive()) {
        // Its thread has ended (seen ended: all it added is visible now); what it added since the take goes out too.
        all.remove(lines);
        Batch last = lines.take();
        if (last.count() > 0) {
          write(last);
        }
      }
    }
  }

  private void write(Batch batch) {
    boolean failed;
    Throwable cause = null;
    try {
      out.write(batch.text().toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      // A PrintStream (System.out) swallows its I/O errors and only remembers that one happened.
      failed = out instanceof PrintStream print && print.checkError();
    } catch (IOException | RuntimeException e) {
      failed = true;
      cause = e;
    }
    if (failed) { // stdout closed or broken under us: the batch is lost; counted, and said once
      dropped.addAndGet(batch.count());
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

  /** Lines taken from one thread's buffer: their text and how many they are. */
  private record Batch(StringBuilder text, int count) {
    static final Batch NONE = new Batch(null, 0);
  }

  /**
   * One thread's waiting lines, formatted. Its owner adds, the writer takes, each under the buffer's own lock: the
   * owner's is uncontended but for the writer's visit once an interval, which only swaps the text for an empty one
   * (the copy for the write is made outside the lock). Holds nothing of the writer, which its thread's
   * {@code ThreadLocal} entry would keep alive for as long as the thread lives.
   */
  private static final class Lines {
    private final Thread owner;
    private final boolean json;
    private final ZoneId zone;
    private final WeakReference<Thread> writer;
    private StringBuilder text = new StringBuilder(INITIAL_CAPACITY);
    /** The text written last, emptied, ready to take the place of the next one taken. */
    private StringBuilder spare;
    /** A JSON line's fields, each escaped once (the owner's, under this). */
    private final StringBuilder[] fields = new StringBuilder[AccessLine.NAMES.length];
    private int count;
    private boolean wokeWriter;
    private boolean released;
    private long cachedSecond = Long.MIN_VALUE;
    private String secondText = "";
    private String offsetText = "";

    Lines(Thread owner, boolean json, ZoneId zone, Thread writer) {
      this.owner = owner;
      this.json = json;
      this.zone = zone;
      this.writer = new WeakReference<>(writer);
      for (int i = 0; i < fields.length; i++) {
        fields[i] = new StringBuilder(64);
      }
    }

    /** Formats the line at the end of the text: false (nothing added) when it would pass the bound. */
    synchronized boolean add(AccessLine line) {
      if (released) {
        return false;
      }
      int before = text.length();
      try {
        append(line);
      } catch (RuntimeException | Error e) { // a line that cannot be made must not break the request's end
        text.setLength(before);
        LOG.debug("an access line could not be formatted ({})", e.getClass().getSimpleName());
        return false;
      }
      if (text.length() > MAX_PENDING_BYTES) {
        text.setLength(before);
        return false;
      }
      count++;
      if (text.length() >= WAKE_BYTES && !wokeWriter) {
        wokeWriter = true;
        LockSupport.unpark(writer.get());
      }
      return true;
    }

    /** The waiting lines, now removed from the buffer: their text is the caller's until {@link #recycle}. */
    synchronized Batch take() {
      if (count == 0) {
        return Batch.NONE;
      }
      Batch batch = new Batch(text, count);
      text = spare != null ? spare : new StringBuilder(INITIAL_CAPACITY);
      spare = null;
      count = 0;
      wokeWriter = false;
      return batch;
    }

    /** A taken text, written: emptied and kept for the next take, unless it grew large while stdout was blocked. */
    synchronized void recycle(StringBuilder written) {
      if (!released && written.capacity() <= KEPT_CAPACITY) {
        written.setLength(0);
        spare = written;
      }
    }

    /** Lets the buffer go (the writer is closed): the lines still in it, now dropped; nothing is added after. */
    synchronized int release() {
      released = true;
      int left = count;
      count = 0;
      text = new StringBuilder(0);
      spare = null;
      return left;
    }

    private void append(AccessLine line) {
      if (json) {
        appendJson(line);
      } else {
        appendTimestamp(line.epochMillis());
        text.append(" INFO  [").append(line.thread()).append("] mallgate.access - ");
        line.appendMessage(text);
      }
      text.append('\n');
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
      text.append(secondText).append('.');
      if (millis < 100) {
        text.append(millis < 10 ? "00" : "0");
      }
      text.append(millis).append(offsetText);
    }

    /**
     * The object logback's {@code JsonEncoder} writes for the access line with the shipped settings. Each field is
     * escaped once, into {@link #fields}, and used twice: in {@code kvpList} and in {@code formattedMessage} (the
     * names, {@code =} and spaces between them need no escaping).
     */
    private void appendJson(AccessLine line) {
      for (int i = 0; i < fields.length; i++) {
        StringBuilder field = fields[i];
        field.setLength(0);
        if (AccessLine.numeric(i)) {
          line.appendField(i, field); // digits, '-' and '.': nothing to escape
        } else {
          escape(line.stringField(i), field);
        }
      }
      text.append("{\"timestamp\":").append(line.epochMillis()).append(",\"level\":\"INFO\",\"threadName\":\"");
      escape(line.thread(), text);
      text.append("\",\"loggerName\":\"mallgate.access\",\"mdc\": {},\"kvpList\": [");
      for (int i = 0; i < fields.length; i++) {
        text.append(i == 0 ? "{\"" : ",{\"").append(AccessLine.NAMES[i]).append("\":\"").append(fields[i])
            .append("\"}");
      }
      text.append("],\"formattedMessage\":\"");
      for (int i = 0; i < fields.length; i++) {
        text.append(i == 0 ? "" : " ").append(AccessLine.NAMES[i]).append('=').append(fields[i]);
      }
      text.append("\",\"throwable\":null}");
    }

    /**
     * {@code value} as the inside of a JSON string, escaped as logback's {@code JsonEscapeUtil} escapes it ({@code /}
     * included). The runs between characters to escape are appended whole: a path is mostly such runs.
     */
    private static void escape(String value, StringBuilder out) {
      int run = 0;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= 0x20 && c != '"' && c != '\\' && c != '/') {
          continue;
        }
        out.append(value, run, i);
        run = i + 1;
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '/' -> out.append("\\/");
          case '\b' -> out.append("\\b");
          case '\t' -> out.append("\\t");
          case '\n' -> out.append("\\n");
          case '\f' -> out.append("\\f");
          case '\r' -> out.append("\\r");
          default -> out.append("\\u00").append(JSON_HEX[c >> 4]).append(JSON_HEX[c & 0xf]);
        }
      }
      out.append(value, run, value.length());
    }
  }
}
