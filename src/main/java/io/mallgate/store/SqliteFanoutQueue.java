package io.mallgate.store;

import io.mallgate.webhook.fanout.DeadLetterStore;
import io.mallgate.webhook.fanout.EmbeddedQueue;
import io.mallgate.webhook.fanout.StreamEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out's view of the embedded database: the {@code webhooks} rows in order, a row per subscriber in
 * {@code fanout_cursors}, and the {@link SqliteDeadLetters}. Thread-safe.
 */
final class SqliteFanoutQueue implements EmbeddedQueue {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteFanoutQueue.class);

  private final Sqlite db;
  private final SqliteDeadLetters deadLetters;

  SqliteFanoutQueue(Sqlite db, SqliteDeadLetters deadLetters) {
    this.db = db;
    this.deadLetters = deadLetters;
  }

  @Override
  public Future<Cursor> cursor(String subscriber) {
    return db.call(sql -> {
      Cursor saved = saved(sql, subscriber);
      if (saved != null) {
        return saved;
      }
      LOG.info("webhook subscriber {}: new, it gets the events recorded from now on", subscriber);
      // The autoincrement counter, not MAX(seq): compaction may have emptied the table, numbers are never reused.
      Cursor fresh;
      try (PreparedStatement end = sql.prepareStatement(
          "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'webhooks'), 0)");
          ResultSet last = end.executeQuery()) {
        last.next();
        fresh = new Cursor(last.getLong(1), "", 0);
      }
      write(sql, subscriber, fresh); // before the first event is accepted, so a restart does not move the start
      return fresh;
    });
  }

  private static Cursor saved(Connection sql, String subscriber) throws SQLException {
    try (PreparedStatement select = sql.prepareStatement(
        "SELECT seq, head_id, attempts FROM fanout_cursors WHERE subscriber = ?")) {
      select.setString(1, subscriber);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? new Cursor(row.getLong(1), row.getString(2), row.getLong(3)) : null;
      }
    }
  }

  @Override
  public Future<List<Queued>> read(long seq, int max) {
    return db.call(sql -> {
      List<Queued> events = new ArrayList<>();
      try (PreparedStatement select = sql.prepareStatement(
          "SELECT seq, id, fields, body FROM webhooks WHERE seq > ? ORDER BY seq LIMIT ?")) {
        select.setLong(1, seq);
        select.setInt(2, max);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            events.add(new Queued(rows.getLong(1), entry(rows.getString(2), rows.getString(3), rows.getBytes(4))));
          }
        }
      }
      return events;
    });
  }

  @Override
  public Future<Void> save(String subscriber, Cursor cursor) {
    return db.call(sql -> {
      write(sql, subscriber, cursor);
      return null;
    });
  }

  static void write(Connection sql, String subscriber, Cursor cursor) throws SQLException {
    try (PreparedStatement upsert = sql.prepareStatement(
        "INSERT OR REPLACE INTO fanout_cursors (subscriber, seq, head_id, attempts) VALUES (?, ?, ?, ?)")) {
      upsert.setString(1, subscriber);
      upsert.setLong(2, cursor.seq());
      upsert.setString(3, cursor.headId());
      upsert.setLong(4, cursor.attempts());
      upsert.executeUpdate();
    }
  }

  @Override
  public Future<Boolean> deadLetter(StreamEntry entry, Map<String, String> failure) {
    return deadLetters.add(entry, failure);
  }

  @Override
  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  /** An entry from its stored parts: the text fields as a JSON object, the body as bytes. */
  static StreamEntry entry(String id, String fields, byte[] body) {
    Map<String, String> text = new LinkedHashMap<>();
    new JsonObject(fields).forEach(field -> text.put(field.getKey(), String.valueOf(field.getValue())));
    return new StreamEntry(id, Collections.unmodifiableMap(text), Buffer.buffer(body));
  }
}
