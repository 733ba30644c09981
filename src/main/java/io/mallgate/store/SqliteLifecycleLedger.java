package io.mallgate.store;

import io.mallgate.webhook.LifecycleLedger;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * The embedded {@link LifecycleLedger}: a row per mall and body in {@code lifecycle}; at most
 * {@link LifecycleLedger#MAX_PER_MALL} per mall, the earliest seen forgotten first. Thread-safe.
 */
final class SqliteLifecycleLedger implements LifecycleLedger {

  private final Sqlite db;

  SqliteLifecycleLedger(Sqlite db) {
    this.db = db;
  }

  @Override
  public Future<Instant> firstSeen(String mall, String bodySha256, Instant seenAt) {
    return db.call(sql -> {
      try (PreparedStatement insert = sql.prepareStatement(
          "INSERT OR IGNORE INTO lifecycle (mall, sha256, first_seen) VALUES (?, ?, ?)")) {
        insert.setString(1, mall);
        insert.setString(2, bodySha256);
        insert.setLong(3, seenAt.toEpochMilli());
        if (insert.executeUpdate() == 0) {
          return earliest(sql, mall, bodySha256);
        }
      }
      try (PreparedStatement trim = sql.prepareStatement("DELETE FROM lifecycle WHERE mall = ? AND sha256 NOT IN "
          + "(SELECT sha256 FROM lifecycle WHERE mall = ? ORDER BY first_seen DESC LIMIT ?)")) {
        trim.setString(1, mall);
        trim.setString(2, mall);
        trim.setInt(3, MAX_PER_MALL);
        trim.executeUpdate();
      }
      return seenAt;
    });
  }

  private static Instant earliest(java.sql.Connection sql, String mall, String sha256) throws java.sql.SQLException {
    try (PreparedStatement select = sql.prepareStatement(
        "SELECT first_seen FROM lifecycle WHERE mall = ? AND sha256 = ?")) {
      select.setString(1, mall);
      select.setString(2, sha256);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return Instant.ofEpochMilli(row.getLong(1));
      }
    }
  }
}
