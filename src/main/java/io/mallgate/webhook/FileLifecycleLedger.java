package io.mallgate.webhook;

import io.mallgate.file.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link LifecycleLedger} of the embedded mode: a small JSON file beside the token store ({@code lifecycle.json},
 * {@code {"mall":{"<sha256>":<ms>,…},…}}), rewritten whole and atomically on each new sighting (a rare event), on a
 * worker. At most {@value #MAX_MALLS} malls are remembered, the least recently seen forgotten first. Thread-safe.
 */
public final class FileLifecycleLedger implements LifecycleLedger {

  static final int MAX_MALLS = 100_000;

  private final Vertx vertx;
  private final Path file;
  private final LinkedHashMap<String, LinkedHashMap<String, Long>> seen;

  private FileLifecycleLedger(Vertx vertx, Path file, LinkedHashMap<String, LinkedHashMap<String, Long>> seen) {
    this.vertx = vertx;
    this.file = file;
    this.seen = seen;
  }

  /** The ledger beside the token store file {@code storeFile}; reads it on a worker. */
  public static Future<FileLifecycleLedger> open(Vertx vertx, Path storeFile) {
    Path file = storeFile.toAbsolutePath().resolveSibling("lifecycle.json");
    return vertx.executeBlocking(() -> new FileLifecycleLedger(vertx, file, read(file)), false);
  }

  @Override
  public Future<Instant> firstSeen(String mall, String bodySha256, Instant seenAt) {
    byte[] snapshot;
    synchronized (this) {
      LinkedHashMap<String, Long> bodies = seen.remove(mall);
      bodies = bodies == null ? new LinkedHashMap<>() : bodies;
      seen.put(mall, bodies); // most recently seen last
      Long first = bodies.get(bodySha256);
      if (first != null) {
        return Future.succeededFuture(Instant.ofEpochMilli(first));
      }
      if (bodies.size() >= MAX_PER_MALL) {
        bodies.clear();
      }
      bodies.put(bodySha256, seenAt.toEpochMilli());
      trim();
      snapshot = json().getBytes(StandardCharsets.UTF_8);
    }
    // Ordered: a later snapshot is never overwritten by an earlier one.
    return vertx.executeBlocking(() -> {
      AtomicFile.write(file, snapshot);
      return seenAt;
    }, true);
  }

  private void trim() {
    Iterator<String> oldest = seen.keySet().iterator();
    while (seen.size() > MAX_MALLS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  private String json() {
    JsonObject all = new JsonObject();
    seen.forEach((mall, bodies) -> {
      JsonObject byBody = new JsonObject();
      bodies.forEach(byBody::put);
      all.put(mall, byBody);
    });
    return all.encode();
  }

  private static LinkedHashMap<String, LinkedHashMap<String, Long>> read(Path file) throws java.io.IOException {
    LinkedHashMap<String, LinkedHashMap<String, Long>> seen = new LinkedHashMap<>();
    if (Files.notExists(file)) {
      return seen;
    }
    JsonObject all = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    for (Map.Entry<String, Object> mall : all) {
      LinkedHashMap<String, Long> bodies = new LinkedHashMap<>();
      if (mall.getValue() instanceof JsonObject byBody) {
        byBody.forEach(body -> {
          if (body.getValue() instanceof Number ms) {
            bodies.put(body.getKey(), ms.longValue());
          }
        });
      }
      seen.put(mall.getKey(), bodies);
    }
    return seen;
  }
}
