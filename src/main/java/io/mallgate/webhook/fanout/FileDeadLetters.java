package io.mallgate.webhook.fanout;

import io.mallgate.file.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link DeadLetterStore} of the embedded mode: an append-only file of JSON lines beside the webhook log
 * ({@code webhook-dead-letters.jsonl}, mode 0600), one dead letter per line in {@link StreamEntry#toJson} form, each
 * forced to disk before it counts. A deletion appends a tombstone line ({@code {"deleted": id}}); at {@link #load}
 * the live dead letters are read back and, when there were tombstones, the file is rewritten atomically without them,
 * so it does not grow forever. Ids are {@code <ms>-<seq>}, increasing, as in the Redis stream.
 *
 * <p>The live dead letters are held in memory (they are few: each is an event a subscriber refused
 * {@code maxAttempts} times). Confined to the gateway's context; file I/O runs on workers, appends in order.
 */
final class FileDeadLetters implements DeadLetterStore {

  private static final Set<StandardOpenOption> APPEND =
      Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);

  private final Vertx vertx;
  private final Path file;
  private final Clock clock;
  private Map<String, StreamEntry> live = new LinkedHashMap<>();
  private long lastMillis;
  private long sequence;

  FileDeadLetters(Vertx vertx, Path file, Clock clock) {
    this.vertx = vertx;
    this.file = file;
    this.clock = clock;
  }

  /** Reads the file back (compacting it when it holds tombstones); fails when it cannot be read or rewritten. */
  Future<Void> load() {
    return vertx.executeBlocking(() -> readBack(file), false).map(loaded -> {
      live = loaded;
      loaded.keySet().forEach(id -> {
        long millis = Long.parseLong(id.substring(0, id.indexOf('-')));
        long seq = Long.parseLong(id.substring(id.indexOf('-') + 1));
        if (millis > lastMillis || millis == lastMillis && seq > sequence) {
          lastMillis = millis;
          sequence = seq;
        }
      });
      return null;
    });
  }

  /**
   * Appends a dead letter for {@code entry}: {@code extra} (the failure, never a secret), the event's fields, its
   * body. False (nothing appended) when this subscriber already has a dead letter for the event: a crash between
   * the append and the cursor's save makes the loop give up on it a second time.
   */
  Future<Boolean> add(StreamEntry entry, Map<String, String> extra) {
    for (StreamEntry dead : live.values()) {
      if (dead.field("original_id").equals(entry.id()) && dead.field("subscriber").equals(extra.get("subscriber"))) {
        return Future.succeededFuture(false);
      }
    }
    Map<String, String> fields = new LinkedHashMap<>(extra);
    fields.putAll(entry.fields());
    StreamEntry dead = new StreamEntry(nextId(), Collections.unmodifiableMap(fields), entry.body());
    return append(dead.toJson()).map(written -> {
      live.put(dead.id(), dead);
      return true;
    });
  }

  @Override
  public Future<Page> page(String subscriber, String after, int count) {
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
  }

  @Override
  public Future<StreamEntry> get(String id) {
    return Future.succeededFuture(live.get(id));
  }

  @Override
  public Future<Boolean> delete(String id) {
    if (!live.containsKey(id)) {
      return Future.succeededFuture(false);
    }
    return append(new JsonObject().put("deleted", id)).map(written -> live.remove(id) != null);
  }

  // Ordered: lines reach the file in the order they were decided, so a tombstone never precedes its letter.
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
    }, true);
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

  private static Map<String, StreamEntry> readBack(Path file) throws IOException {
    Map<String, StreamEntry> live = new LinkedHashMap<>();
    if (Files.notExists(file)) {
      return live;
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
    if (compact) {
      Buffer kept = Buffer.buffer();
      live.values().forEach(entry -> kept.appendBuffer(entry.toJson().toBuffer()).appendByte((byte) '\n'));
      AtomicFile.write(file, kept.getBytes());
    }
    return live;
  }
}
