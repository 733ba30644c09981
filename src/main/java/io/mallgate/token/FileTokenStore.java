package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded token store, for a single gateway instance when no Redis is configured: records in memory, persisted
 * to one JSON file (see {@link TokenFile} for the format and the atomic write), tokens in the {@link TokenCodec}'s
 * form both in memory and on disk, opened when read.
 *
 * <p><b>Durability.</b> A change's Future completes only once a file that contains it is on disk; writes are
 * coalesced and a failed write rolls back every change not yet on disk (see {@link DurableRecords}). Memory
 * therefore never claims more than the disk holds (if only the final directory sync fails, the disk may hold more,
 * until the next write replaces it), and a caller whose write failed still has its token response in hand to try
 * again. Reads ({@link #get}, {@link #malls}) serve only what is on disk; checks ({@link #compareAndSet},
 * {@link #markReauthorizationRequired}, {@link #reseal}, …) see every accepted change, so that two writers can never
 * both win.
 *
 * <p><b>Threading.</b> All state belongs to the context that opened the store and is touched only there. A call from
 * any other thread or context runs on that context and its Future completes back on the caller's context.
 */
public final class FileTokenStore implements TokenStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);

  private final Context context;
  private final TokenCodec codec;
  private final DurableRecords records;
  // volatile: read by readiness probes, which need not run on the owning context.
  private volatile boolean closed;

  private FileTokenStore(Context context, TokenCodec codec, DurableRecords records) {
    this.context = context;
    this.codec = codec;
    this.records = records;
  }

  /**
   * Opens the store, reading {@code file} off the event loop; a missing file (and its directories) is created by the
   * first write. A file of an older format is rewritten in the current one at once, its tokens in the codec's form.
   * The store belongs to the caller's context (or a new one when called from outside Vert.x).
   *
   * @param codec how tokens are written in the file (and read back)
   */
  public static Future<FileTokenStore> open(Vertx vertx, Path file, TokenCodec codec) {
    Path absolute = file.toAbsolutePath();
    LOG.warn("embedded token store {} serves ONE gateway instance only; set redis.url to share tokens", absolute);
    Context context = vertx.getOrCreateContext();
    return context.executeBlocking(() -> TokenFile.load(absolute, codec), false)
        .recover(cause -> Future.failedFuture(openFailure(absolute, cause)))
        .map(loaded -> new FileTokenStore(context, codec, new DurableRecords(context, absolute, loaded)));
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    return owned(() -> {
      StoredRecord stored = records.durable().get(mall);
      return Future.succeededFuture(stored == null ? null : stored.open(mall, codec));
    });
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      return writeTokens(mall, tokens, current == null ? 1 : current.version() + 1, current);
    });
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      if (current == null || current.version() != expectedVersion) {
        return Future.succeededFuture(null);
      }
      return writeTokens(mall, tokens, expectedVersion + 1, current);
    });
  }

  @Override
  public Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
      TokenRecord.Reauthorization reauthorization) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      if (current == null || current.version() != expectedVersion) {
        return Future.succeededFuture(null);
      }
      return writeMark(mall, current, reauthorization);
    });
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      return current == null ? Future.succeededFuture(null) : writeMark(mall, current, null);
    });
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall, long expectedVersion) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      return current == null || current.version() != expectedVersion ? Future.succeededFuture(null)
          : writeMark(mall, current, null);
    });
  }

  @Override
  public Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      if (current == null) {
        return Future.succeededFuture();
      }
      working().put(mall, current.withLastRefresh(attempt));
      return records.persist();
    });
  }

  @Override
  public Future<Boolean> reseal(String mall) {
    return owned(() -> {
      StoredRecord current = working().get(mall);
      if (current == null || codec.isCurrent(current.data())) {
        return Future.succeededFuture(false);
      }
      TokenResponse tokens = StoredForm.open(codec, mall, current.data());
      working().put(mall, current.withData(StoredForm.seal(codec, mall, tokens)));
      return records.persist().map(true);
    });
  }

  @Override
  public Future<Boolean> delete(String mall) {
    return owned(() -> working().remove(mall) == null
        ? Future.succeededFuture(false)
        : records.persist().map(true));
  }

  @Override
  public Future<List<String>> malls() {
    return owned(() -> {
      List<String> malls = new ArrayList<>(records.durable().keySet());
      malls.sort(null);
      return Future.succeededFuture(malls);
    });
  }

  /** Refuses further calls and completes once the last pending write has finished (whatever its outcome). */
  @Override
  public Future<Void> close() {
    return onOwner(() -> {
      closed = true;
      return records.drain();
    });
  }

  /** Whether the store still serves (not yet {@link #close closed}); for readiness probes. Any thread. */
  public boolean isOpen() {
    return !closed;
  }

  /** How many file writes the store has started: lets tests see that writes are coalesced. */
  int writes() {
    return records.writes();
  }

  // Looked up on every use: a failed write replaces the map.
  private Map<String, StoredRecord> working() {
    return records.working();
  }

  private Future<TokenRecord> writeTokens(String mall, TokenResponse tokens, long version, StoredRecord current) {
    String data = StoredForm.seal(codec, mall, tokens);
    StoredRecord next = new StoredRecord(version, now(), data, null, current == null ? null : current.lastRefresh());
    working().put(mall, next);
    return records.persist().map(next.withTokens(mall, tokens));
  }

  /** Sets or clears the mark, bumping the version; the tokens are opened first, so a record that cannot be is left. */
  private Future<TokenRecord> writeMark(String mall, StoredRecord current, TokenRecord.Reauthorization mark) {
    TokenResponse tokens = StoredForm.open(codec, mall, current.data());
    StoredRecord next = new StoredRecord(current.version() + 1, now(), current.data(), mark, current.lastRefresh());
    working().put(mall, next);
    return records.persist().map(next.withTokens(mall, tokens));
  }

  // Millisecond precision, like the Redis store, so a record reads back equal whichever store wrote it.
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Runs an operation on the owning context once the store is known to be open. */
  private <T> Future<T> owned(Supplier<Future<T>> operation) {
    return onOwner(() -> {
      if (closed) {
        return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store is closed"));
      }
      try {
        return operation.get();
      } catch (GatewayFailure failure) {
        return Future.failedFuture(failure);
      }
    });
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
    LOG.error("token store file {} cannot be opened ({})", file, DurableRecords.describe(cause));
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store file cannot be opened");
  }
}
