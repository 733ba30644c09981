package io.mallgate.webhook.fanout;

import io.mallgate.file.AtomicFile;
import io.mallgate.concurrent.OwningContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeadLetterStore} of the embedded mode: an append-only file of JSON lines beside the webhook log
 * ({@code webhook-dead-letters.jsonl}, mode 0600), one dead letter per line in {@link StreamEntry#toJson} form, each
 * forced to disk before it counts. A deletion appends a tombstone line ({@code {"deleted": id}}). Ids are
 * {@code <ms>-<seq>}, increasing, as in the Redis stream.
 *
 * <p><b>Bounded</b> like the Redis dead-letter stream: at most {@code webhook.streamMaxLength} dead letters are kept;
 * beyond, the oldest is dropped (a tombstone, a WARN line, {@link FanoutCounters#deadLettersDroppedCount}). The file
 * is rewritten atomically without the deleted and dropped ones at {@link #load} and whenever they outnumber the
 * live ones, so it does not grow forever.
 *
 * <p>The live dead letters are held in memory. Confined to the gateway's context (admin requests arrive on every
 * event loop and are brought there); file I/O runs on workers, one change after the other, each in the file before
 * the next starts.
 */
final class FileDeadLetters implements DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetters.class);
  private static final Set<StandardOpenOption> APPEND =
      Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  /** Obsolete lines below this never make a rewrite worth it. */
  private static final int REWRITE_AT = 64;

  private final Vertx vertx;
  private final OwningContext owner;
  private final Path file;
  private final int maxLength;
  private final FanoutCounters counters;
  private final Clock clock;
  private Map<String, StreamEntry> live = new LinkedHashMap<>();
  /** Lines of the file that are not live dead letters: deleted or dropped ones, tombstones. */
  private long obsolete;
  private Future<?> changes = Future.succeededFuture();
  private long lastMillis;
  private long sequence;

  /** Call on the gateway's context: it owns the dead letters. */
  FileDeadLetters(Vertx vertx, Path file, int maxLength, FanoutCounters counters, Clock clock) {
    this.vertx = vertx;
    this.owner = OwningContext.current(vertx);
    this.file = file;
    this.maxLength = maxLength;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Reads the file back, keeping the newest {@code maxLength} (rewriting it when anything was deleted, dropped or cut
   * short); fails when it cannot be read or rewritten.
   */
  Future<Void> load() {
    return owner.run(() -> vertx.executeBlocking(() -> readBack(file, maxLength), false).map(loaded -> {
      live = loaded.live();
      if (loaded.dropped() > 0) {
        counters.deadLettersDropped(loaded.dropped());
        LOG.warn("webhook dead letters: the {} oldest dropped, to keep webhook.streamMaxLength ({})",
            loaded.dropped(), maxLength);
      }
      live.keySet().forEach(id -> {
        long[] parts = parts(id);
        if (parts[0] > lastMillis || parts[0] == lastMillis && parts[1] > sequence) {
          lastMillis = parts[0];
          sequence = parts[1];
        }
      });
      return null;
    }));
  }

  /**
   * Appends a dead letter for {@code entry}: {@code extra} (the failure, never a secret), the event's fields, its
   * body; then drops the oldest beyond {@code maxLength}. False (nothing appended) when this subscriber already has a
   * dead letter for the event: a crash between the append and the cursor's save makes the loop give up on it twice.
   */
  Future<Boolean> add(StreamEntry entry, Map<String, String> extra) {
    return inTurn(() -> {
      for (StreamEntry dead : live.values()) {
        if (dead.field("original_id").equals(entry.id())
            && dead.field("subscriber").equals(extra.get("subscriber"))) {
          return Future.succeededFuture(false);
        }
      }
      Map<String, String> fields = new LinkedHashMap<>(extra);
      fields.putAll(entry.fields());
      StreamEntry dead = new StreamEntry(nextId(), Collections.unmodifiableMap(fields), entry.body());
      return append(dead.toJson()).compose(written -> {
        live.put(dead.id(), dead);
        return trim();
      }).map(true);
    });
  }

  @Override
  public Future<Page> page(String subscriber, String after, int count) {
    return owner.run(() -> {
      List<StreamEntry> matching = new ArrayList<>();
      for (StreamEntry entry : live.values()) {
        if (after.isEmpty() || newer(entry.id(), after)) {
          if (matching.size() == count) {
            return Future.succeededFuture(new Page(matching, matching.get(count - 1).id()));
          }
          if (subscriber.isEmpty() || subscriber.equals(entry.field("subscriber"))) {
            matching.add(entry);
          }
        }
      }
      return Future.succeededFuture(new Page(matching, null));
    });
  }

  @Override
  public Future<StreamEntry> get(String id) {
    return owner.run(() -> Future.succeededFuture(live.get(id)));
  }

  @Override
  public Future<Boolean> delete(String id) {
    return inTurn(() -> {
      if (!live.containsKey(id)) {
        return Future.succeededFuture(false);
      }
      return append(tombstone(id)).compose(written -> {
        live.remove(id);
        obsolete += 2;
        return tidy();
      }).map(true);
    });
  }

  // One change at a time, each in the file (and in memory) before the next looks: lines reach the file in the order
  // they were decided, a tombstone never precedes its letter, and a rewrite never misses a letter being appended.
  private <T> Future<T> inTurn(Supplier<Future<T>> change) {
    return owner.run(() -> {
      Future<T> done = changes.transform(previous -> change.get());
      changes = done;
      return done;
    });
  }

  /** Drops the oldest dead letters beyond {@code maxLength}, as the Redis stream's {@code MAXLEN ~} does. */
  private Future<Void> trim() {
    if (live.size() <= maxLength) {
      return tidy();
    }
    StreamEntry oldest = live.values().iterator().next();
    return append(tombstone(oldest.id())).compose(written -> {
      live.remove(oldest.id());
      obsolete += 2;
      counters.deadLettersDropped(1);
      LOG.warn("webhook dead letter {} (event {} for subscriber {}) dropped, the oldest: webhook.streamMaxLength ({}) "
          + "are kept", oldest.id(), oldest.field("original_id"), oldest.field("subscriber"), maxLength);
      return trim();
    });
  }

  /** Rewrites the file without its obsolete lines once they outnumber the live ones; a failure only waits. */
  private Future<Void> tidy() {
    if (obsolete < Math.max(REWRITE_AT, live.size())) {
      return Future.succeededFuture();
    }
    List<StreamEntry> kept = new ArrayList<>(live.values());
    return vertx.executeBlocking(() -> {
      rewrite(file, kept);
      return null;
    }, false).<Void>map(done -> {
      obsolete = 0;
      return null;
    }).recover(failure -> {
      LOG.warn("webhook dead letters: {} not rewritten ({}); tried again later", file.getFileName(),
          failure.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }

  private Future<Void> append(JsonObject line) {
    byte[] bytes = line.toBuffer().appendByte((byte) '\n').getBytes();
    return vertx.executeBlocking(() -> {
      try (FileChannel channel = FileChannel.open(file, APPEND,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      return null;
    }, false);
  }

  private static JsonObject tombstone(String id) {
    return new JsonObject().put("deleted", id);
  }

  private String nextId() {
    long now = Math.max(clock.millis(), lastMillis);
    sequence = now == lastMillis ? sequence + 1 : 0;
    lastMillis = now;
    return now + "-" + sequence;
  }

  private static boolean newer(String id, String than) {
    long[] a = parts(id);
    long[] b = parts(than);
    return a[0] > b[0] || a[0] == b[0] && a[1] > b[1];
  }

  private static long[] parts(String id) {
    int dash = id.indexOf('-');
    return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
  }

  /** What {@link #load} found: the live dead letters, and how many of the oldest it dropped to keep the bound. */
  private record Loaded(Map<String, StreamEntry> live, int dropped) {
  }

  private static Loaded readBack(Path file, int maxLength) throws IOException {
    AtomicFile.removeLeftovers(file); // a rewrite a crash cut short
    Map<String, StreamEntry> live = new LinkedHashMap<>();
    if (Files.notExists(file)) {
      return new Loaded(live, 0);
    }
    boolean compact = false;
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      try {
        JsonObject line = new JsonObject(text);
        if (line.containsKey("deleted")) {
          compact |= live.remove(line.getString("deleted")) != null;
        } else {
          StreamEntry entry = StreamEntry.fromJson(line);
          live.put(entry.id(), entry);
        }
      } catch (RuntimeException e) {
        compact = true; // a line cut short by a crash: its append never completed, so nothing counted on it
      }
    }
    int dropped = 0;
    for (Iterator<String> oldest = live.keySet().iterator(); live.size() > maxLength; dropped++) {
      oldest.next();
      oldest.remove();
    }
    if (compact || dropped > 0) {
      rewrite(file, live.values());
    }
    return new Loaded(live, dropped);
  }

  private static void rewrite(Path file, Iterable<StreamEntry> kept) throws IOException {
    AtomicFile.write(file, out -> {
      for (StreamEntry entry : kept) {
        out.write(entry.toJson().toBuffer().getBytes());
        out.write('\n');
      }
    });
  }
}
