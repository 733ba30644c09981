package io.mallgate.store;

import io.mallgate.token.StoredForm;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.webhook.fanout.EmbeddedQueue;
import io.mallgate.webhook.fanout.StreamEntry;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the files of the release before the database, once, at the first start: the token file (formats 1 and 2),
 * the webhook log ({@code webhooks.jsonl}, compacted or not), the fan-out cursors ({@code fanout-<name>.cursor}, log
 * byte offsets mapped to the imported rows), the dead letters ({@code webhook-dead-letters.jsonl}) and
 * {@code lifecycle.json}. All of it in one transaction, which also notes each file as imported; then each file is
 * renamed {@code <name>.migrated}. A crash between the two leaves notes that make the next start only rename. A file
 * that cannot be read fails the start and is left as it is: nothing is guessed. Runs on the database's worker.
 */
final class LegacyImport {

  private static final Logger LOG = LoggerFactory.getLogger(LegacyImport.class);
  static final String SUFFIX = ".migrated";

  private final StoreFiles files;
  private final TokenCodec codec;
  private final List<Path> found = new ArrayList<>();

  LegacyImport(StoreFiles files, TokenCodec codec) {
    this.files = files;
    this.codec = codec;
  }

  /** Imports what is there (nothing when no legacy file is), then renames the files. */
  void run(Connection sql) throws SQLException, IOException {
    collect();
    if (found.isEmpty()) {
      return;
    }
    sql.setAutoCommit(false);
    try {
      importAll(sql);
      sql.commit();
    } catch (SQLException | IOException failed) {
      sql.rollback();
      throw failed;
    } catch (RuntimeException unreadable) {
      sql.rollback();
      // Only the type: a JSON parser quotes the text around the fault, which may hold tokens.
      throw new IOException("a file of the release before cannot be imported (" + unreadable.getClass().getSimpleName()
          + "); the files are left as they are");
    } finally {
      sql.setAutoCommit(true);
    }
    for (Path file : found) {
      Files.move(file, file.resolveSibling(file.getFileName() + SUFFIX), StandardCopyOption.REPLACE_EXISTING);
    }
    LOG.info("imported the embedded store files of the release before into {}; renamed them *{}: {}",
        files.database(), SUFFIX, found.stream().map(Path::getFileName).toList());
  }

  private void collect() throws IOException {
    for (Path file : List.of(files.legacyTokens(), files.legacy("webhooks.jsonl"),
        files.legacy("webhook-dead-letters.jsonl"), files.legacy("lifecycle.json"))) {
      if (Files.isRegularFile(file)) {
        found.add(file);
      }
    }
    try (DirectoryStream<Path> cursors = Files.newDirectoryStream(files.database().getParent(), "fanout-*.cursor")) {
      cursors.forEach(found::add);
    }
  }

  private void importAll(Connection sql) throws SQLException, IOException {
    TreeMap<Long, Long> rowAtOffset = new TreeMap<>();
    for (Path file : found) {
      String name = file.getFileName().toString();
      if (name.endsWith(".cursor") || imported(sql, file)) {
        continue; // cursors below; imported by a start that crashed before renaming it
      }
      if (file.equals(files.legacyTokens())) {
        tokens(sql, file);
      } else if (name.equals("webhooks.jsonl")) {
        webhooks(sql, file, rowAtOffset);
      } else if (name.equals("webhook-dead-letters.jsonl")) {
        deadLetters(sql, file);
      } else if (name.equals("lifecycle.json")) {
        lifecycle(sql, file);
      }
      note(sql, file);
    }
    // Cursors last: their byte offsets name rows of the log imported above.
    for (Path file : found) {
      String name = file.getFileName().toString();
      if (name.endsWith(".cursor") && !imported(sql, file)) {
        cursor(sql, file, name.substring("fanout-".length(), name.length() - ".cursor".length()), rowAtOffset);
        note(sql, file);
      }
    }
  }

  private void tokens(Connection sql, Path file) throws IOException, SQLException {
    JsonObject root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    int format = root.getInteger("format");
    if (format != 1 && format != 2) {
      throw new IOException("token file " + file + " has format " + format + "; this version imports 1 and 2");
    }
    JsonObject malls = root.getJsonObject("malls");
    for (String mall : malls.fieldNames()) {
      JsonObject entry = malls.getJsonObject(mall);
      // Format 1 held Cafe24's JSON in clear: it is sealed now, as format 2 already was.
      String data = format == 1 ? StoredForm.seal(codec, mall, TokenResponse.fromJson(entry.getJsonObject("tokens")))
          : entry.getString("data");
      TokenRecord.Reauthorization mark = StoredForm.reauthorization(entry.getJsonObject("reauth"));
      TokenRecord.RefreshAttempt refresh = StoredForm.refreshAttempt(entry.getJsonObject("refresh"));
      SqliteTokenStore.write(sql, mall, new SqliteTokenStore.Row(entry.getLong("v"),
          Instant.parse(entry.getString("updated")), data, mark, refresh));
    }
  }

  /** Each complete line in order; the log offset at each line's end maps to the row it became. */
  private static void webhooks(Connection sql, Path file, TreeMap<Long, Long> rowAtOffset)
      throws IOException, SQLException {
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        PreparedStatement insert = sql.prepareStatement("INSERT INTO webhooks (id, sha256, accepted_at, fields, body) "
            + "VALUES (?, ?, ?, ?, ?)", java.sql.Statement.RETURN_GENERATED_KEYS)) {
      long offset = 0;
      boolean first = true;
      for (String line = lines.readLine(); line != null; line = lines.readLine(), first = false) {
        int length = line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (first && line.startsWith("{\"first_offset\":")) {
          offset = new JsonObject(line).getLong("first_offset"); // a compacted log: offsets go on from there
          continue;
        }
        offset += length;
        StreamEntry entry = parse(line);
        if (entry != null) {
          rowAtOffset.put(offset, insertEvent(insert, entry));
        }
      }
    }
  }

  private static long insertEvent(PreparedStatement insert, StreamEntry entry) throws SQLException {
    insert.setString(1, entry.id());
    insert.setString(2, entry.field("sha256"));
    insert.setLong(3, Long.parseLong(entry.id().substring(0, entry.id().indexOf('-'))));
    insert.setString(4, new JsonObject(new LinkedHashMap<>(entry.fields())).encode());
    insert.setBytes(5, entry.body().getBytes());
    insert.executeUpdate();
    try (var keys = insert.getGeneratedKeys()) {
      keys.next();
      return keys.getLong(1);
    }
  }

  private static StreamEntry parse(String line) {
    try {
      return StreamEntry.fromJson(new JsonObject(line));
    } catch (RuntimeException cutShort) {
      return null; // a line a crash cut short: never acknowledged, Cafe24 resent it
    }
  }

  private static void cursor(Connection sql, Path file, String subscriber, TreeMap<Long, Long> rowAtOffset)
      throws IOException, SQLException {
    JsonObject saved = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    Map.Entry<Long, Long> done = rowAtOffset.floorEntry(saved.getLong("offset"));
    SqliteFanoutQueue.write(sql, subscriber, new EmbeddedQueue.Cursor(done == null ? 0 : done.getValue(),
        saved.getString("head_id", ""), saved.getLong("attempts", 0L)));
  }

  private static void deadLetters(Connection sql, Path file) throws IOException, SQLException {
    Map<String, StreamEntry> live = new LinkedHashMap<>();
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      try {
        JsonObject line = new JsonObject(text);
        if (line.containsKey("deleted")) {
          live.remove(line.getString("deleted"));
        } else {
          StreamEntry entry = StreamEntry.fromJson(line);
          live.put(entry.id(), entry);
        }
      } catch (RuntimeException cutShort) {
        // its append never completed: nothing counted on it
      }
    }
    for (StreamEntry dead : live.values()) {
      SqliteDeadLetters.insert(sql, dead.id(), dead.field("subscriber"), dead.field("original_id"),
          new JsonObject(new LinkedHashMap<>(dead.fields())).encode(), dead.body().getBytes());
    }
  }

  private static void lifecycle(Connection sql, Path file) throws IOException, SQLException {
    JsonObject all = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    try (PreparedStatement insert = sql.prepareStatement(
        "INSERT OR IGNORE INTO lifecycle (mall, sha256, first_seen) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, Object> mall : all) {
        if (mall.getValue() instanceof JsonObject bodies) {
          for (Map.Entry<String, Object> body : bodies) {
            insert.setString(1, mall.getKey());
            insert.setString(2, body.getKey());
            insert.setLong(3, ((Number) body.getValue()).longValue());
            insert.executeUpdate();
          }
        }
      }
    }
  }

  private static boolean imported(Connection sql, Path file) throws SQLException {
    try (PreparedStatement select = sql.prepareStatement("SELECT 1 FROM imported WHERE file = ?")) {
      select.setString(1, file.getFileName().toString());
      try (var row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  private static void note(Connection sql, Path file) throws SQLException {
    try (PreparedStatement insert = sql.prepareStatement("INSERT OR IGNORE INTO imported (file, at) VALUES (?, ?)")) {
      insert.setString(1, file.getFileName().toString());
      insert.setLong(2, System.currentTimeMillis());
      insert.executeUpdate();
    }
  }
}
