package io.mallgate.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database: one SQLite file (WAL journal, {@code synchronous=FULL}, so a committed change survives a
 * crash or power cut), one JDBC connection, and ONE worker thread that runs every statement, in the order they were
 * submitted. Statements never run on an event loop, and nothing here needs a lock: the worker is the only thread that
 * touches the connection. Each collaborator (token store, webhook log, …) submits its work with {@link #call}; the
 * Future completes on the caller's context.
 *
 * <p>The file is created mode 0600 in a folder created mode 0700 (where the file system is POSIX): it holds sealed
 * tokens and webhook bodies.
 */
final class Sqlite {

  private static final Logger LOG = LoggerFactory.getLogger(Sqlite.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Work on the connection, run on the database's worker. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException, java.io.IOException;
  }

  private final Path file;
  private final WorkerExecutor worker;
  private final Connection connection;
  // volatile: read by readiness probes on any thread.
  private volatile boolean open = true;

  private Sqlite(Path file, WorkerExecutor worker, Connection connection) {
    this.file = file;
    this.worker = worker;
    this.connection = connection;
  }

  /** Opens (or creates) the database and its tables, on its own worker. */
  static Future<Sqlite> open(Vertx vertx, Path file) {
    Path absolute = file.toAbsolutePath();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("mallgate-sqlite-" + POOLS.incrementAndGet(), 1);
    return worker.executeBlocking(() -> new Sqlite(absolute, worker, connect(absolute)), true)
        .onFailure(failed -> worker.close());
  }

  private static Connection connect(Path file) throws IOException, SQLException {
    createPrivate(file);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement pragma = connection.createStatement()) {
      pragma.execute("PRAGMA journal_mode=WAL");
      pragma.execute("PRAGMA synchronous=FULL");
      pragma.execute("PRAGMA secure_delete=ON"); // a replaced token is zeroed on disk, not left in a free page
      pragma.execute("PRAGMA busy_timeout=5000");
      Schema.create(pragma);
    } catch (SQLException failed) {
      connection.close();
      throw failed;
    }
    return connection;
  }

  // SQLite creates the file with the process's umask; creating it first (empty is a valid database) fixes its mode.
  // The WAL and shared-memory files SQLite adds take the main file's permissions.
  private static void createPrivate(Path file) throws IOException {
    Path dir = file.getParent();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] folder = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
    Files.createDirectories(dir, folder);
    if (Files.notExists(file)) {
      FileAttribute<?>[] owner = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
          : new FileAttribute<?>[0];
      Files.createFile(file, owner);
    }
  }

  /** Runs {@code work} on the database's worker, after everything submitted before it; fails once closed. */
  <T> Future<T> call(Work<T> work) {
    if (!open) {
      return Future.failedFuture(new SQLException("the embedded database is closed"));
    }
    return worker.executeBlocking(() -> {
      if (!open) {
        throw new SQLException("the embedded database is closed");
      }
      return work.run(connection);
    }, true);
  }

  /** Runs {@code work} in one transaction: all of it is committed, or none. */
  <T> Future<T> transaction(Work<T> work) {
    return call(connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | java.io.IOException | RuntimeException failed) {
        connection.rollback();
        throw failed;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  /** Whether the database still serves (readiness). Any thread. */
  boolean isOpen() {
    return open;
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /** Closes the connection after the work already submitted; later calls fail. Never fails. */
  Future<Void> close() {
    if (!open) {
      return Future.succeededFuture();
    }
    Future<Void> closed = worker.<Void>executeBlocking(() -> {
      open = false;
      connection.close();
      return null;
    }, true);
    return closed.onFailure(failed -> LOG.warn("embedded database {} not closed cleanly ({})", file,
            failed.getClass().getSimpleName()))
        .otherwiseEmpty()
        .eventually(worker::close);
  }
}
