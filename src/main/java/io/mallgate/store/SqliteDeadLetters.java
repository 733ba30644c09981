package io.mallgate.store;

import io.mallgate.webhook.fanout.DeadLetterStore;
import io.mallgate.webhook.fanout.FanoutCounters;
import io.mallgate.webhook.fanout.StreamEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link DeadLetterStore}: rows of {@code dead_letters}, ids {@code <ms>-<seq>} increasing as in the
 * Redis stream. Bounded like the Redis dead-letter stream: at most {@code webhook.streamMaxLength} are kept; beyond,
 * the oldest is deleted (a WARN line, {@link FanoutCounters#deadLettersDroppedCount}). Thread-safe.
 */
final class SqliteDeadLetters implements DeadLetterStore {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteDeadLetters.class);
  private static final String COLUMNS = "id, fields, body";

  private final Sqlite db;
  private final int maxLength;
  private final FanoutCounters counters;
  private final Clock clock;

  SqliteDeadLetters(Sqlite db, int maxLength, FanoutCounters counters, Clock clock) {
    this.db = db;
    this.maxLength = maxLength;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Keeps a dead letter for {@code entry}: {@code extra} (the failure, with {@code subscriber} and
   * {@code original_id}), the event's fields and body; then deletes the oldest beyond the bound. False (nothing kept)
   * when this subscriber already has a dead letter for the event.
   */
  Future<Boolean> add(StreamEntry entry, Map<String, String> extra) {
    Map<String, String> fields = new LinkedHashMap<>(extra);
    fields.putAll(entry.fields());
    String json = new JsonObject(new LinkedHashMap<>(fields)).encode();
    return db.call(sql -> {
      boolean added = insert(sql, nextId(sql), extra.get("subscriber"), entry.id(), json, entry.body().getBytes());
      if (added) {
        trim(sql);
      }
      return added;
    });
  }

  static boolean insert(Connection sql, String id, String subscriber, String originalId, String fields, byte[] body)
      throws SQLException {
    try (PreparedStatement insert = sql.prepareStatement("INSERT OR IGNORE INTO dead_letters "
        + "(id, subscriber, original_id, fields, body) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, subscriber);
      insert.setString(3, originalId);
      insert.setString(4, fields);
      insert.setBytes(5, body);
      return insert.executeUpdate() > 0;
    }
  }

  // The id's second part is the row's number, so that ids sort as rows do whatever the clock does.
  private String nextId(Connection sql) throws SQLException {
    try (PreparedStatement next = sql.prepareStatement(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'dead_letters'), 0) + 1");
        ResultSet row = next.executeQuery()) {
      row.next();
      return clock.millis() + "-" + row.getLong(1);
    }
  }

  private void trim(Connection sql) throws SQLException {
    List<StreamEntry> dropped = select(sql, "SELECT " + COLUMNS + " FROM dead_letters ORDER BY seq LIMIT MAX(0, "
        + "(SELECT COUNT(*) FROM dead_letters) - " + maxLength + ")");
    for (StreamEntry oldest : dropped) {
      delete(sql, oldest.id());
      counters.deadLettersDropped(1);
      LOG.warn("webhook dead letter {} (event {} for subscriber {}) dropped, the oldest: webhook.streamMaxLength ({}) "
          + "are kept", oldest.id(), oldest.field("original_id"), oldest.field("subscriber"), maxLength);
    }
  }

  @Override
  public Future<Page> page(String subscriber, String after, int count) {
    return db.call(sql -> {
      // After a row that still exists: its number; after one deleted meanwhile: the number its id carries.
      try (PreparedStatement select = sql.prepareStatement("SELECT " + COLUMNS + " FROM dead_letters WHERE seq > "
          + "COALESCE((SELECT seq FROM dead_letters WHERE id = ?), ?) AND (? = '' OR subscriber = ?) "
          + "ORDER BY seq LIMIT ?")) {
        select.setString(1, after);
        select.setLong(2, after.isEmpty() ? 0 : Long.parseLong(after.substring(after.indexOf('-') + 1)));
        select.setString(3, subscriber);
        select.setString(4, subscriber);
        select.setInt(5, count + 1);
        List<StreamEntry> found = rows(select);
        return found.size() > count ? new Page(found.subList(0, count), found.get(count - 1).id())
            : new Page(found, null);
      }
    });
  }

  @Override
  public Future<StreamEntry> get(String id) {
    return db.call(sql -> {
      try (PreparedStatement select = sql.prepareStatement("SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?")) {
        select.setString(1, id);
        List<StreamEntry> found = rows(select);
        return found.isEmpty() ? null : found.get(0);
      }
    });
  }

  @Override
  public Future<Boolean> delete(String id) {
    return db.call(sql -> delete(sql, id));
  }

  private static boolean delete(Connection sql, String id) throws SQLException {
    try (PreparedStatement delete = sql.prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
      delete.setString(1, id);
      return delete.executeUpdate() > 0;
    }
  }

  private static List<StreamEntry> select(Connection sql, String query) throws SQLException {
    try (PreparedStatement select = sql.prepareStatement(query)) {
      return rows(select);
    }
  }

  private static List<StreamEntry> rows(PreparedStatement select) throws SQLException {
    List<StreamEntry> entries = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        entries.add(SqliteFanoutQueue.entry(rows.getString(1), rows.getString(2), rows.getBytes(3)));
      }
    }
    return entries;
  }
}
