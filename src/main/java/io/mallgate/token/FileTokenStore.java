package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded token store, for a single gateway instance when no Redis is configured: records in memory, persisted
 * to one JSON file (see {@link TokenFile} for the format and the atomic write).
 *
 * <p><b>Durability.</b> A change's Future completes only once a file that contains it is on disk. Writes are
 * coalesced: while one write is in flight, further changes only update memory, and the next write carries all of
 * them, so a burst of N changes costs about two writes, not N.
 *
 * <p><b>Failure.</b> When a write fails, the store rolls back to the last state on disk: every change not yet on disk
 * (the write's own and those queued behind it, which were decided on top of them) fails with
 * {@code TOKEN_STORE_UNAVAILABLE}. Memory therefore never claims more than the disk holds (if only the final directory
 * sync fails, the disk may hold more, until the next write replaces it), and a caller whose write failed still has its
 * token response in hand to try again. Reads ({@link #get}, {@link #malls}) serve only what is on
 * disk; version checks ({@link #put}, {@link #compareAndSet}, {@link #delete}) see every accepted change, so that two
 * writers can never both win.
 *
 * <p><b>Threading.</b> All state belongs to the context that opened the store and is touched only there. A call from
 * any other thread or context runs on that context and its Future completes back on the caller's context.
 */
public final class FileTokenStore implements TokenStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);

  private final Context context;
  private final Path file;
  private Map<String, TokenRecord> durable;
  private Map<String, TokenRecord> working;
  private List<Promise<Void>> unwritten = new ArrayList<>();
  private final List<Promise<Void>> drained = new ArrayList<>();
  private boolean writing;
  private boolean closed;
  // Written only on the owning context; volatile so that a test on another thread reads the latest count.
  private volatile int writes;

  private FileTokenStore(Context context, Path file, Map<String, TokenRecord> records) {
    this.context = context;
    this.file = file;
    this.durable = Map.copyOf(records);
    this.working = new HashMap<>(records);
  }

  /**
   * Opens the store, reading {@code file} off the event loop; a missing file (and its directories) is created by the
   * first write. The store belongs to the caller's context (or a new one when called from outside Vert.x).
   */
  public static Future<FileTokenStore> open(Vertx vertx, Path file) {
    Path absolute = file.toAbsolutePath();
    LOG.warn("embedded token store {} serves ONE gateway instance only; set redis.url to share tokens", absolute);
    Context context = vertx.getOrCreateContext();
    return context.executeBlocking(() -> TokenFile.load(absolute), false)
        .recover(cause -> Future.failedFuture(openFailure(absolute, cause)))
        .map(records -> new FileTokenStore(context, absolute, records));
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    return owned(() -> Future.succeededFuture(durable.get(mall)));
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return owned(() -> {
      TokenRecord current = working.get(mall);
      return change(mall, tokens, current == null ? 1 : current.version() + 1);
    });
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    return owned(() -> {
      TokenRecord current = working.get(mall);
      if (current == null || current.version() != expectedVersion) {
        return Future.succeededFuture(null);
      }
      return change(mall, tokens, expectedVersion + 1);
    });
  }

  @Override
  public Future<Boolean> delete(String mall) {
    return owned(() -> working.remove(mall) == null
        ? Future.succeededFuture(false)
        : persist().map(true));
  }

  @Override
  public Future<List<String>> malls() {
    return owned(() -> {
      List<String> malls = new ArrayList<>(durable.keySet());
      malls.sort(null);
      return Future.succeededFuture(malls);
    });
  }

  /** Refuses further calls and completes once the last pending write has finished (whatever its outcome). */
  @Override
  public Future<Void> close() {
    return onOwner(() -> {
      closed = true;
      if (!writing) {
        return Future.succeededFuture();
      }
      Promise<Void> done = Promise.promise();
      drained.add(done);
      return done.future();
    });
  }

  /** How many file writes the store has started: lets tests see that writes are coalesced. */
  int writes() {
    return writes;
  }

  private Future<TokenRecord> change(String mall, TokenResponse tokens, long version) {
    // Millisecond precision, like the Redis store, so a record reads back equal whichever store wrote it.
    TokenRecord record = new TokenRecord(mall, tokens, version, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    working.put(mall, record);
    return persist().map(record);
  }

  private Future<Void> persist() {
    Promise<Void> onDisk = Promise.promise();
    unwritten.add(onDisk);
    if (!writing) {
      writeNext();
    }
    return onDisk.future();
  }

  private void writeNext() {
    List<Promise<Void>> carried = unwritten;
    unwritten = new ArrayList<>();
    Map<String, TokenRecord> snapshot = Map.copyOf(working);
    writing = true;
    writes++;
    context.<Void>executeBlocking(() -> {
      TokenFile.write(file, snapshot);
      return null;
    }, false).onComplete(done -> written(done, snapshot, carried));
  }

  // State is settled before any Future completes: their callbacks may run right here and make new changes.
  private void written(AsyncResult<Void> done, Map<String, TokenRecord> snapshot, List<Promise<Void>> carried) {
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

  /** Runs an operation on the owning context once the store is known to be open. */
  private <T> Future<T> owned(Supplier<Future<T>> operation) {
    return onOwner(() -> closed
        ? Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store is closed"))
        : operation.get());
  }

  private <T> Future<T> onOwner(Supplier<Future<T>> operation) {
    Context caller = Vertx.currentContext();
    if (caller == context) {
      return operation.get();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(go -> operation.get().onComplete(outcome -> {
      if (caller == null) {
        result.handle(outcome);
      } else {
        caller.runOnContext(back -> result.handle(outcome));
      }
    }));
    return result.future();
  }

  private static GatewayFailure openFailure(Path file, Throwable cause) {
    if (cause instanceof GatewayFailure failure) {
      LOG.error("token store file {} cannot be opened: {}", file, failure.getMessage());
      return failure;
    }
    LOG.error("token store file {} cannot be opened ({})", file, describe(cause));
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store file cannot be opened");
  }

  // I/O errors name files, not contents, so their messages are safe to log.
  private static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
