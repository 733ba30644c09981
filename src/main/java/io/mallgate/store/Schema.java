package io.mallgate.store;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded database's tables. Tokens stay sealed at rest: {@code tokens.data} is the {@code TokenCodec}'s form.
 * Webhooks, dead letters: rows numbered by an autoincrement {@code seq} that is never reused (compaction deletes the
 * oldest rows; a fan-out cursor is the {@code seq} of the last event a subscriber is done with).
 */
final class Schema {

  private Schema() {
  }

  static void create(Statement sql) throws SQLException {
    sql.execute("CREATE TABLE IF NOT EXISTS tokens (mall TEXT PRIMARY KEY, version INTEGER NOT NULL, "
        + "updated_at INTEGER NOT NULL, data TEXT NOT NULL, reauth TEXT, last_refresh TEXT)");
    sql.execute("CREATE TABLE IF NOT EXISTS webhooks (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, "
        + "sha256 TEXT NOT NULL, accepted_at INTEGER NOT NULL, fields TEXT NOT NULL, body BLOB NOT NULL)");
    sql.execute("CREATE INDEX IF NOT EXISTS webhooks_sha256 ON webhooks (sha256, accepted_at)");
    sql.execute("CREATE TABLE IF NOT EXISTS fanout_cursors (subscriber TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
        + "head_id TEXT NOT NULL, attempts INTEGER NOT NULL)");
    sql.execute("CREATE TABLE IF NOT EXISTS dead_letters (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        + "id TEXT NOT NULL UNIQUE, subscriber TEXT NOT NULL, original_id TEXT NOT NULL, fields TEXT NOT NULL, "
        + "body BLOB NOT NULL, UNIQUE (subscriber, original_id))");
    sql.execute("CREATE TABLE IF NOT EXISTS lifecycle (mall TEXT NOT NULL, sha256 TEXT NOT NULL, "
        + "first_seen INTEGER NOT NULL, PRIMARY KEY (mall, sha256))");
    sql.execute("CREATE TABLE IF NOT EXISTS imported (file TEXT PRIMARY KEY, at INTEGER NOT NULL)");
  }
}
