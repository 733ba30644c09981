package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's records and their way to disk: {@link #working()} holds every accepted change,
 * {@link #durable()} only what a completed file write holds. After changing {@code working}, call {@link #persist()}:
 * its Future completes once a file containing the change is on disk.
 *
 * <p>Writes are coalesced: while one write is in flight, further changes only update memory, and the next write
 * carries all of them, so a burst of N changes costs about two writes, not N. When a write fails, {@code working}
 * rolls back to {@code durable} and every change not on disk (the write's own and those queued behind it, which were
 * decided on top of them) fails with {@code TOKEN_STORE_UNAVAILABLE}.
 *
 * <p>Not thread-safe: confined to the owning context, where every method must be called.
 */
final class DurableRecords {

  private static final Logger LOG = LoggerFactory.getLogger(DurableRecords.class);

  private final Context context;
  private final Path file;
  private Map<String, StoredRecord> durable;
  private Map<String, StoredRecord> working;
  private List<Promise<Void>> unwritten = new ArrayList<>();
  private final List<Promise<Void>> drained = new ArrayList<>();
  private boolean writing;
  // Written only on the owning context; volatile so that a test on another thread reads the latest count.
  private volatile int writes;

  DurableRecords(Context context, Path file, Map<String, StoredRecord> loaded) {
    this.context = context;
    this.file = file;
    this.durable = Map.copyOf(loaded);
    this.working = new HashMap<>(loaded);
  }

  /** What is on disk: read-only. */
  Map<String, StoredRecord> durable() {
    return durable;
  }

  /** Every accepted change, on disk or not: change it, then {@link #persist()}. */
  Map<String, StoredRecord> working() {
    return working;
  }

  /** Completes once the changes made so far are on disk, or fails when the write carrying them failed. */
  Future<Void> persist() {
    Promise<Void> onDisk = Promise.promise();
    unwritten.add(onDisk);
    if (!writing) {
      writeNext();
    }
    return onDisk.future();
  }

  /** Completes once no write is in flight (whatever the last one's outcome). */
  Future<Void> drain() {
    if (!writing) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    drained.add(done);
    return done.future();
  }

  /** How many file writes have started. */
  int writes() {
    return writes;
  }

  private void writeNext() {
    List<Promise<Void>> carried = unwritten;
    unwritten = new ArrayList<>();
    Map<String, StoredRecord> snapshot = Map.copyOf(working);
    writing = true;
    writes++;
    context.<Void>executeBlocking(() -> {
      TokenFile.write(file, snapshot);
      return null;
    }, false).onComplete(done -> written(done, snapshot, carried));
  }

  // State is settled before any Future completes: their callbacks may run right here and make new changes.
  private void written(AsyncResult<Void> done, Map<String, StoredRecord> snapshot, List<Promise<Void>> carried) {
    writing = false;
    if (done.succeeded()) {
      durable = snapshot;
      if (!unwritten.isEmpty()) {
        writeNext();
      }
      carried.forEach(Promise::complete);
    } else {
      rollBack(done.cause(), carried);
    }
    if (!writing) {
      drained.forEach(Promise::complete);
      drained.clear();
    }
  }

  // Changes queued behind the failed write were decided on top of its changes, so they go too.
  private void rollBack(Throwable cause, List<Promise<Void>> carried) {
    List<Promise<Void>> lost = new ArrayList<>(carried);
    lost.addAll(unwritten);
    unwritten = new ArrayList<>();
    working = new HashMap<>(durable);
    LOG.error("writing token store file {} failed ({}); {} change(s) not on disk were rolled back", file,
        describe(cause), lost.size());
    GatewayFailure failure = new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store file not written");
    lost.forEach(promise -> promise.fail(failure));
  }

  // I/O errors name files, not contents, so their messages are safe to log.
  static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
