package io.mallgate.store;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.webhook.WebhookEvent;
import io.mallgate.webhook.WebhookLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link WebhookLog} (one instance only): a row per event in the {@code webhooks} table, committed to disk
 * before Cafe24 gets its 200. A copy is found by the body's SHA-256 among the rows accepted within the de-duplication
 * window; the look-up and the insert run on the database's one worker, one append after the other, so a copy arriving
 * while the first is being written finds it.
 *
 * <p><b>Bounded.</b> Once it holds more than {@code webhook.streamMaxLength} rows by a tenth, the oldest rows are
 * deleted down to {@code streamMaxLength}, but never one a configured subscriber has yet to take (its saved cursor)
 * nor one inside the de-duplication window. Thread-safe; the id generator and counts are confined to the worker.
 */
final class SqliteWebhookLog implements WebhookLog {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteWebhookLog.class);

  private final Sqlite db;
  private final Clock clock;
  private final long windowMillis;
  private final long keep;
  private final long slack;
  private final String subscribers;
  // Touched on the database's worker only.
  private long rows;
  private long nextCheck;
  private long lastMillis;
  private long sequence;
  private volatile boolean closed;

  SqliteWebhookLog(Sqlite db, Clock clock, long windowMillis, int streamMaxLength, Set<String> subscribers) {
    this.db = db;
    this.clock = clock;
    this.windowMillis = windowMillis;
    this.keep = streamMaxLength;
    this.slack = Math.max(1, keep / 10);
    this.nextCheck = keep + slack;
    // Names are checked by the config binder ([a-z0-9_-]); quoted as SQL literals all the same.
    this.subscribers = String.join(",", subscribers.stream().map(n -> "'" + n.replace("'", "''") + "'").toList());
  }

  /** Reads the row count and the last id, then checks the bound once (the log may have grown before a restart). */
  Future<Void> start() {
    return db.call(sql -> {
      try (Statement select = sql.createStatement();
          ResultSet last = select.executeQuery("SELECT COUNT(*), (SELECT id FROM webhooks ORDER BY seq DESC LIMIT 1) "
              + "FROM webhooks")) {
        last.next();
        rows = last.getLong(1);
        String id = last.getString(2);
        if (id != null) {
          lastMillis = Long.parseLong(id.substring(0, id.indexOf('-')));
          sequence = Long.parseLong(id.substring(id.indexOf('-') + 1));
        }
      }
      compactIfDue(sql);
      return null;
    });
  }

  @Override
  public Future<Acceptance> append(WebhookEvent event) {
    if (closed) {
      return Future.failedFuture(unavailable());
    }
    return db.call(sql -> appendOnWorker(sql, event)).recover(failure -> {
      LOG.warn("webhook could not be written to the embedded log ({})", failure.getClass().getSimpleName());
      return Future.failedFuture(unavailable());
    });
  }

  private Acceptance appendOnWorker(Connection sql, WebhookEvent event) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement earlier = sql.prepareStatement(
        "SELECT id FROM webhooks WHERE sha256 = ? AND accepted_at >= ? ORDER BY seq LIMIT 1")) {
      earlier.setString(1, event.sha256());
      earlier.setLong(2, now - windowMillis);
      try (ResultSet found = earlier.executeQuery()) {
        if (found.next()) {
          return new Acceptance(true, found.getString(1));
        }
      }
    }
    String id = nextId(now);
    try (PreparedStatement insert = sql.prepareStatement(
        "INSERT INTO webhooks (id, sha256, accepted_at, fields, body) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, event.sha256());
      insert.setLong(3, new Acceptance(false, id).acceptedAt().toEpochMilli());
      insert.setString(4, fields(event.textFields()));
      insert.setBytes(5, event.body().getBytes());
      insert.executeUpdate();
    }
    rows++;
    compactIfDue(sql); // after the commit above: the event is on disk whatever happens here
    return new Acceptance(false, id);
  }

  /** The text fields as a JSON object, in order. */
  static String fields(List<String> pairs) {
    JsonObject fields = new JsonObject();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      fields.put(pairs.get(i), pairs.get(i + 1));
    }
    return fields.encode();
  }

  private void compactIfDue(Connection sql) {
    if (rows <= nextCheck) {
      return;
    }
    try (PreparedStatement delete = sql.prepareStatement("DELETE FROM webhooks WHERE seq <= "
        + "(SELECT MAX(seq) FROM webhooks) - ? AND accepted_at < ? AND seq <= "
        + "COALESCE((SELECT MIN(seq) FROM fanout_cursors WHERE subscriber IN (" + subscribers + ")), 9e18)")) {
      delete.setLong(1, keep);
      delete.setLong(2, clock.millis() - windowMillis);
      rows -= delete.executeUpdate();
    } catch (SQLException failed) {
      LOG.warn("embedded webhook log not compacted ({}); tried again later", failed.getMessage());
    }
    if (rows > keep + slack) {
      LOG.warn("embedded webhook log holds {} events (webhook.streamMaxLength: {}): a subscriber has yet to take the "
          + "oldest, or they are inside the de-duplication window, so they are kept", rows, keep);
    }
    nextCheck = Math.max(rows, keep) + slack;
  }

  private String nextId(long now) {
    long at = Math.max(now, lastMillis);
    sequence = at == lastMillis ? sequence + 1 : 0;
    lastMillis = at;
    return at + "-" + sequence;
  }

  /** Later appends fail; the database belongs to the backend. */
  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }

  private static GatewayFailure unavailable() {
    return new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE,
        "the webhook could not be recorded; it was not accepted, send it again");
  }
}
