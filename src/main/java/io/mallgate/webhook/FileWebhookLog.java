package io.mallgate.webhook;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.concurrent.OwningContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebhookLog} for the embedded mode (no Redis), <b>one instance only</b>: an append-only file of JSON lines
 * ({@code id, route, mall_id, event_no, received_at, sha256, body} with the raw body in base64), each written and
 * forced to disk before the 200. Copies are found by the body's SHA-256 among the entries of the de-duplication
 * window, which are read back from the file when it opens (line by line, on a worker), so a restart forgets none. A
 * copy arriving while the first is still being written joins it. A line cut short by a crash is skipped (it was
 * never acknowledged: Cafe24 resends).
 *
 * <p><b>Bounded.</b> Once {@link #retainFor} says which entries the log's readers still need, the log is compacted
 * when it holds more than {@code webhook.streamMaxLength} entries by a tenth ({@link LogCompaction}): the oldest
 * entries go, down to {@code streamMaxLength}, but never one a reader has yet to take nor one inside the
 * de-duplication window. The file is replaced atomically and starts with a {@link LogHeader}, so log offsets (the
 * fan-out's cursors) keep naming the same entries. Appends go on meanwhile; they wait only while the last appended
 * bytes are copied and the file is swapped.
 *
 * <p>All state belongs to the context that opened the log (the gateway's): requests arrive on every event loop and
 * are brought there ({@link OwningContext}); the file work runs on workers.
 */
public final class FileWebhookLog implements WebhookLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileWebhookLog.class);

  private final Vertx vertx;
  private final OwningContext owner;
  private final Path path;
  private final LogAppender appender;
  private final Clock clock;
  private final long windowMillis;
  private final long keep;
  private final long slack;
  /** Body hash to the id of its accepted (or being written) entry, oldest first. */
  private final LinkedHashMap<String, Future<String>> seen;
  /** Lines in the file after its header: entries (and lines a crash cut short). */
  private long entries;
  /** The log offset of the file's first line. */
  private long first;
  private long nextCheck;
  private LongSupplier neededFrom;
  private Future<Void> compaction;
  private volatile boolean closing;
  private long lastMillis;
  private int sequence;

  private FileWebhookLog(Vertx vertx, Path path, AsyncFile file, Clock clock, GatewayConfig.Webhook config,
      LogContents contents) {
    this.vertx = vertx;
    this.owner = OwningContext.current(vertx);
    this.path = path;
    this.appender = new LogAppender(file);
    this.clock = clock;
    this.windowMillis = config.dedupWindow().toMillis();
    this.keep = config.streamMaxLength();
    this.slack = Math.max(1, keep / 10);
    this.seen = contents.seen();
    this.entries = contents.entries();
    this.first = contents.header().first();
    this.nextCheck = keep + slack;
  }

  /**
   * Opens (or creates, mode 0600) the file and reads back the entries of the window. Temporary files a crash left
   * behind (a compaction that never finished) are deleted first: the log itself is whole.
   */
  public static Future<FileWebhookLog> open(Vertx vertx, Path path, GatewayConfig.Webhook config, Clock clock) {
    Path absolute = path.toAbsolutePath();
    long cutoff = clock.millis() - config.dedupWindow().toMillis();
    // Parsing every line of a large log is work for a worker, not the event loop.
    return vertx.executeBlocking(() -> LogContents.read(absolute, cutoff), false)
        .compose(contents -> vertx.fileSystem().open(absolute.toString(), new OpenOptions(LogCompaction.APPEND))
            .compose(opened -> repairTail(opened, contents)
                .map(repaired -> new FileWebhookLog(vertx, absolute, opened, clock, config, repaired))))
        .recover(failure -> {
          LOG.error("webhook log file {} cannot be opened ({})", absolute, failure.getClass().getSimpleName());
          return Future.failedFuture(unavailable());
        });
  }

  @Override
  public Future<Acceptance> append(WebhookEvent event) {
    return onOwner(() -> appendOnOwner(event));
  }

  /**
   * Starts keeping the log bounded: {@code neededFrom} gives, on the owning context, the lowest log offset its readers
   * still need (entries ending after it are kept; {@link Long#MAX_VALUE} when there are none). A first check runs at
   * once — the log may have grown while the gateway was down — and then after appends.
   */
  public Future<Void> retainFor(LongSupplier neededFrom) {
    return onOwner(() -> {
      this.neededFrom = neededFrom;
      compactIfDue();
      return Future.succeededFuture();
    });
  }

  /** The file (compactions replace it: open it anew for each read). */
  public Path path() {
    return path;
  }

  private Future<Acceptance> appendOnOwner(WebhookEvent event) {
    forgetBefore(clock.millis() - windowMillis);
    Future<String> earlier = seen.get(event.sha256());
    if (earlier != null) {
      return earlier.map(id -> new Acceptance(true, id));
    }
    String id = nextId();
    Future<String> written = appender.write(line(id, event)).map(id);
    seen.put(event.sha256(), written);
    return written.transform(outcome -> {
      if (outcome.failed()) {
        seen.remove(event.sha256());
        LOG.warn("webhook could not be written to the log file ({})", outcome.cause().getClass().getSimpleName());
        return Future.failedFuture(unavailable());
      }
      entries++;
      compactIfDue();
      return Future.succeededFuture(new Acceptance(false, id));
    });
  }

  /** Lets a compaction in flight give up (the log stays whole), then closes the file. */
  @Override
  public Future<Void> close() {
    return onOwner(() -> {
      closing = true;
      return (compaction == null ? Future.<Void>succeededFuture() : compaction).eventually(appender::close);
    });
  }

  // Requests arrive on every event loop; the state is touched on the owning context's thread only.
  private <T> Future<T> onOwner(Supplier<Future<T>> action) {
    return owner.run(action);
  }

  private void compactIfDue() {
    if (neededFrom == null || compaction != null || closing || entries <= nextCheck) {
      return;
    }
    long needed = neededFrom.getAsLong();
    if (needed <= first) {
      heldBack();
      nextCheck = entries + slack;
      return;
    }
    long counted = entries;
    compaction = LogCompaction.run(vertx, path, appender, () -> closing, counted, keep, needed,
        clock.millis() - windowMillis).transform(outcome -> compacted(counted, outcome));
    compaction.onComplete(done -> {
      compaction = null;
      compactIfDue(); // appends during the compaction may have taken the log past its bound again
    });
  }

  private Future<Void> compacted(long counted, AsyncResult<LogCompaction.Plan> outcome) {
    if (outcome.failed()) {
      if (!closing) {
        LOG.warn("webhook log {} not compacted ({}); it stays as it was, and is tried again later",
            path.getFileName(), outcome.cause().getClass().getSimpleName());
      }
      nextCheck = Math.max(entries, keep) + slack;
      return Future.succeededFuture();
    }
    LogCompaction.Plan plan = outcome.result();
    long left = counted - plan.dropped();
    entries -= plan.dropped();
    first = plan.first();
    if (plan.limit() == LogCompaction.Limit.READER && left > keep + slack) {
      heldBack();
    }
    // Counted from what the compaction left: appends made meanwhile count towards the next one.
    nextCheck = Math.max(left, keep) + slack;
    return Future.succeededFuture();
  }

  private void heldBack() {
    LOG.warn("webhook log {} holds {} entries (webhook.streamMaxLength: {}): a subscriber has yet to take the "
        + "oldest, so they are kept", path.getFileName(), entries, keep);
  }

  private String nextId() {
    long now = Math.max(clock.millis(), lastMillis);
    sequence = now == lastMillis ? sequence + 1 : 0;
    lastMillis = now;
    return now + "-" + sequence;
  }

  private void forgetBefore(long cutoff) {
    Iterator<Map.Entry<String, Future<String>>> oldest = seen.entrySet().iterator();
    while (oldest.hasNext()) {
      Future<String> entry = oldest.next().getValue();
      if (!entry.succeeded() || new Acceptance(false, entry.result()).acceptedAt().toEpochMilli() >= cutoff) {
        return;
      }
      oldest.remove();
    }
  }

  private static Buffer line(String id, WebhookEvent event) {
    JsonObject entry = new JsonObject().put("id", id);
    for (int i = 0; i < event.textFields().size(); i += 2) {
      entry.put(event.textFields().get(i), event.textFields().get(i + 1));
    }
    entry.put("body", Base64.getEncoder().encodeToString(event.body().getBytes()));
    return entry.toBuffer().appendByte((byte) '\n');
  }

  /** A crash may have left half a line: end it, so the next entry starts on a line of its own. */
  private static Future<LogContents> repairTail(AsyncFile file, LogContents contents) {
    if (!contents.cutShort()) {
      return Future.succeededFuture(contents);
    }
    return file.write(Buffer.buffer("\n")).compose(done -> file.flush())
        .map(done -> new LogContents(contents.seen(), contents.entries() + 1, contents.header(), false));
  }

  static GatewayFailure unavailable() {
    return new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE,
        "the webhook could not be recorded; it was not accepted, send it again");
  }

  /** Where the embedded log lives: beside the embedded token store's file. */
  public static Path beside(Path tokenFile) {
    Path absolute = tokenFile.toAbsolutePath();
    return absolute.resolveSibling("webhooks.jsonl");
  }
}
