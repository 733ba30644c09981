package io.mallgate.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the embedded store's database from a test (WAL lets it read while a gateway writes). Blocking. */
public final class SqliteFile {

  private SqliteFile() {
  }

  /** The first column of every row {@code query} answers, as text. */
  public static List<String> column(Path db, String query) {
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement select = sql.createStatement();
        ResultSet rows = select.executeQuery(query)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single number {@code query} answers. */
  public static long number(Path db, String query) {
    return Long.parseLong(column(db, query).get(0));
  }
}
