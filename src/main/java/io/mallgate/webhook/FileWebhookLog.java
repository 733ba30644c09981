package io.mallgate.webhook;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebhookLog} for the embedded mode (no Redis), <b>one instance only</b>: an append-only file of JSON lines
 * ({@code id, route, mall_id, event_no, received_at, sha256, body} with the raw body in base64), each written and
 * forced to disk before the 200. Copies are found by the body's SHA-256 among the entries of the de-duplication
 * window, which are read back from the file when it opens, so a restart forgets none. A copy arriving while the first
 * is still being written joins it. A line cut short by a crash is skipped (it was never acknowledged: Cafe24 resends).
 *
 * <p>All state belongs to the context that opened the log (the gateway's); requests arrive on it.
 */
public final class FileWebhookLog implements WebhookLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileWebhookLog.class);

  private final Context context;
  private final AsyncFile file;
  private final Clock clock;
  private final long windowMillis;
  /** Body hash to the id of its accepted (or being written) entry, oldest first. */
  private final LinkedHashMap<String, Future<String>> seen;
  private final Thread owningThread;
  private long lastMillis;
  private int sequence;

  private FileWebhookLog(Context context, AsyncFile file, Clock clock, long windowMillis,
      LinkedHashMap<String, Future<String>> seen) {
    this.context = context;
    this.file = file;
    this.clock = clock;
    this.windowMillis = windowMillis;
    this.seen = seen;
    this.owningThread = Thread.currentThread();
  }

  /** Opens (or creates, mode 0600) the file and reads back the entries of the window. */
  public static Future<WebhookLog> open(Vertx vertx, Path path, GatewayConfig.Webhook config, Clock clock) {
    String name = path.toAbsolutePath().toString();
    String dir = path.toAbsolutePath().getParent().toString();
    long window = config.dedupWindow().toMillis();
    return vertx.fileSystem().mkdirs(dir)
        .compose(made -> vertx.fileSystem().exists(name))
        .compose(exists -> exists ? vertx.fileSystem().readFile(name) : Future.succeededFuture(Buffer.buffer()))
        .compose(content -> vertx.fileSystem().open(name,
                new OpenOptions().setAppend(true).setCreate(true).setWrite(true).setRead(false).setPerms("rw-------"))
            .compose(opened -> repairTail(opened, content)
                // Parsing every line of a large log is work for a worker, not the event loop.
                .compose(repaired -> vertx.executeBlocking(() -> readBack(content, clock.millis() - window)))
                .map(seen -> (WebhookLog) new FileWebhookLog(vertx.getOrCreateContext(), opened, clock, window,
                    seen))))
        .recover(failure -> {
          LOG.error("webhook log file {} cannot be opened ({})", name, failure.getClass().getSimpleName());
          return Future.failedFuture(unavailable());
        });
  }

  @Override
  public Future<Acceptance> append(WebhookEvent event) {
    // Requests arrive on duplicates of the owning context, on its event loop thread: the state is safe there.
    if (Thread.currentThread() == owningThread) {
      return appendOnOwner(event);
    }
    Context caller = Vertx.currentContext();
    Promise<Acceptance> result = Promise.promise();
    context.runOnContext(go -> appendOnOwner(event).onComplete(outcome -> {
      if (caller == null) {
        result.handle(outcome);
      } else {
        caller.runOnContext(back -> result.handle(outcome));
      }
    }));
    return result.future();
  }

  private Future<Acceptance> appendOnOwner(WebhookEvent event) {
    forgetBefore(clock.millis() - windowMillis);
    Future<String> earlier = seen.get(event.sha256());
    if (earlier != null) {
      return earlier.map(id -> new Acceptance(true, id));
    }
    String id = nextId();
    Future<String> written = file.write(line(id, event)).compose(done -> file.flush()).map(id);
    seen.put(event.sha256(), written);
    return written
        .recover(failure -> {
          seen.remove(event.sha256());
          LOG.warn("webhook could not be written to the log file ({})", failure.getClass().getSimpleName());
          return Future.failedFuture(unavailable());
        })
        .map(done -> new Acceptance(false, id));
  }

  @Override
  public Future<Void> close() {
    return file.close().otherwiseEmpty();
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

  private static LinkedHashMap<String, Future<String>> readBack(Buffer content, long cutoff) {
    LinkedHashMap<String, Future<String>> seen = new LinkedHashMap<>();
    for (String text : content.toString().split("\n")) {
      try {
        JsonObject entry = new JsonObject(text);
        String id = entry.getString("id");
        if (new Acceptance(false, id).acceptedAt().toEpochMilli() >= cutoff) {
          seen.putIfAbsent(entry.getString("sha256"), Future.succeededFuture(id));
        }
      } catch (RuntimeException e) {
        // A line cut short by a crash: never acknowledged, so Cafe24 sends it again.
      }
    }
    return seen;
  }

  /** A crash may have left half a line: end it, so the next entry starts on a line of its own. */
  private static Future<Void> repairTail(AsyncFile file, Buffer content) {
    if (content.length() == 0 || content.getByte(content.length() - 1) == '\n') {
      return Future.succeededFuture();
    }
    return file.write(Buffer.buffer("\n")).compose(done -> file.flush());
  }

  private static GatewayFailure unavailable() {
    return new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE,
        "the webhook could not be recorded; it was not accepted, send it again");
  }

  /** Where the embedded log lives: beside the embedded token store's file. */
  public static Path beside(Path tokenFile) {
    Path absolute = tokenFile.toAbsolutePath();
    return absolute.resolveSibling("webhooks.jsonl");
  }
}
