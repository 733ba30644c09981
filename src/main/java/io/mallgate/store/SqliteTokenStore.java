package io.mallgate.store;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.token.StoredForm;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link TokenStore}: one row per mall in the {@link Sqlite} database, the tokens in the
 * {@link TokenCodec}'s form (sealed at rest), opened when read. Compare-and-set is {@code UPDATE … WHERE version = ?}:
 * every statement runs on the database's one worker, in order, so two writers can never both win, and a change's
 * Future completes only once SQLite has committed it to disk ({@code synchronous=FULL}). Thread-safe.
 */
final class SqliteTokenStore implements TokenStore {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteTokenStore.class);
  private static final String COLUMNS = "version, updated_at, data, reauth, last_refresh";

  private final Sqlite db;
  private final TokenCodec codec;
  /** Whether closing the store closes the database (a store opened on its own, as tests do). */
  private final boolean ownsDatabase;
  private volatile boolean closed;

  SqliteTokenStore(Sqlite db, TokenCodec codec, boolean ownsDatabase) {
    this.db = db;
    this.codec = codec;
    this.ownsDatabase = ownsDatabase;
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    return run(sql -> {
      Row row = read(sql, mall);
      return row == null ? null : row.open(mall, codec);
    });
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return run(sql -> {
      String data = StoredForm.seal(codec, mall, tokens);
      Row current = read(sql, mall);
      Row next = new Row(current == null ? 1 : current.version + 1, now(), data, null,
          current == null ? null : current.lastRefresh);
      write(sql, mall, next);
      return next.with(mall, tokens);
    });
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    Instant at = now();
    return run(sql -> {
      String data = StoredForm.seal(codec, mall, tokens);
      try (PreparedStatement update = sql.prepareStatement("UPDATE tokens SET version = version + 1, updated_at = ?, "
          + "data = ?, reauth = NULL WHERE mall = ? AND version = ?")) {
        update.setLong(1, at.toEpochMilli());
        update.setString(2, data);
        update.setString(3, mall);
        update.setLong(4, expectedVersion);
        if (update.executeUpdate() == 0) {
          return null;
        }
      }
      return read(sql, mall).with(mall, tokens);
    });
  }

  @Override
  public Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
      TokenRecord.Reauthorization reauthorization) {
    return mark(mall, expectedVersion, reauthorization);
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall) {
    return mark(mall, -1, null);
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall, long expectedVersion) {
    return mark(mall, expectedVersion, null);
  }

  /** Sets or clears the mark, bumping the version, when the version is {@code expected} (any, when negative). */
  private Future<TokenRecord> mark(String mall, long expected, TokenRecord.Reauthorization mark) {
    return run(sql -> {
      Row current = read(sql, mall);
      if (current == null || expected >= 0 && current.version != expected) {
        return null;
      }
      TokenResponse tokens = StoredForm.open(codec, mall, current.data); // a record that cannot be opened is left
      Row next = new Row(current.version + 1, now(), current.data, mark, current.lastRefresh);
      write(sql, mall, next);
      return next.with(mall, tokens);
    });
  }

  @Override
  public Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt) {
    String json = text(StoredForm.toJson(attempt));
    return run(sql -> {
      try (PreparedStatement update = sql.prepareStatement("UPDATE tokens SET last_refresh = ? WHERE mall = ?")) {
        update.setString(1, json);
        update.setString(2, mall);
        update.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Boolean> reseal(String mall) {
    return run(sql -> {
      Row current = read(sql, mall);
      if (current == null || codec.isCurrent(current.data)) {
        return false;
      }
      String resealed = StoredForm.seal(codec, mall, StoredForm.open(codec, mall, current.data));
      try (PreparedStatement update = sql.prepareStatement("UPDATE tokens SET data = ? WHERE mall = ? AND version = ?")) {
        update.setString(1, resealed);
        update.setString(2, mall);
        update.setLong(3, current.version);
        return update.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String mall) {
    return run(sql -> {
      try (PreparedStatement delete = sql.prepareStatement("DELETE FROM tokens WHERE mall = ?")) {
        delete.setString(1, mall);
        return delete.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Future<List<String>> malls() {
    return run(sql -> {
      List<String> malls = new ArrayList<>();
      try (PreparedStatement select = sql.prepareStatement("SELECT mall FROM tokens ORDER BY mall");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          malls.add(rows.getString(1));
        }
      }
      return malls;
    });
  }

  /** Refuses further calls; the database belongs to the backend, which closes it after (unless the store owns it). */
  @Override
  public Future<Void> close() {
    closed = true;
    return ownsDatabase ? db.close() : Future.succeededFuture();
  }

  private <T> Future<T> run(Sqlite.Work<T> work) {
    if (closed) {
      return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store is closed"));
    }
    return db.call(work).recover(failure -> Future.failedFuture(unavailable(failure)));
  }

  private static Throwable unavailable(Throwable failure) {
    if (failure instanceof GatewayFailure) {
      return failure; // StoredForm's: they name the mall, never content
    }
    // SQLite's messages name the statement and the fault, never a bound value (tokens are always bound).
    LOG.warn("embedded token store failed ({}: {})", failure.getClass().getSimpleName(), failure.getMessage());
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "the embedded token store cannot be used");
  }

  /** Writes a whole row, inserting or replacing it. */
  static void write(Connection sql, String mall, Row row) throws SQLException {
    try (PreparedStatement upsert = sql.prepareStatement("INSERT OR REPLACE INTO tokens (mall, " + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      upsert.setString(1, mall);
      upsert.setLong(2, row.version);
      upsert.setLong(3, row.updatedAt.toEpochMilli());
      upsert.setString(4, row.data);
      upsert.setString(5, text(StoredForm.toJson(row.reauthorization)));
      upsert.setString(6, text(StoredForm.toJson(row.lastRefresh)));
      upsert.executeUpdate();
    }
  }

  private static Row read(Connection sql, String mall) throws SQLException {
    try (PreparedStatement select = sql.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE mall = ?")) {
      select.setString(1, mall);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return new Row(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
            StoredForm.reauthorization(json(rows.getString(4))), StoredForm.refreshAttempt(json(rows.getString(5))));
      }
    }
  }

  private static String text(JsonObject json) {
    return json == null ? null : json.encode();
  }

  private static JsonObject json(String text) {
    return text == null ? null : new JsonObject(text);
  }

  // Millisecond precision, like the Redis store, so a record reads back equal whichever store wrote it.
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A mall's row: the tokens still in the codec's form. {@link #toString()} never shows {@code data}. */
  record Row(long version, Instant updatedAt, String data, TokenRecord.Reauthorization reauthorization,
      TokenRecord.RefreshAttempt lastRefresh) {

    TokenRecord open(String mall, TokenCodec codec) {
      return with(mall, StoredForm.open(codec, mall, data));
    }

    TokenRecord with(String mall, TokenResponse tokens) {
      return new TokenRecord(mall, tokens, version, updatedAt, reauthorization, lastRefresh);
    }

    @Override
    public String toString() {
      return "Row[version=" + version + ", updatedAt=" + updatedAt + "]";
    }
  }
}
