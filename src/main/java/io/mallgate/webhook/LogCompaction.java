package io.mallgate.webhook;

import io.mallgate.file.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compaction of the embedded webhook log, in steps that {@link #run} drives from the log's owning context, each
 * on a worker, one after the other: {@link #plan} finds the oldest entries that may go, {@link #stage} copies the
 * rest into a replacement file ({@link AtomicFile}) behind a {@link LogHeader} while appends go on, {@link #finish}
 * copies what was appended meanwhile (appends are held then), {@link #commit} renames the replacement over the log.
 * A crash at any step leaves either the old log whole (and a temporary file, removed at the next open) or the new
 * one whole. Only the oldest entries go, so the kept ones keep their log offsets. Not thread-safe: one step at a
 * time.
 */
final class LogCompaction implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogCompaction.class);
  private static final long COPY_CHUNK = 16L << 20;
  /** How the log is opened for appending (mode 0600 when created). */
  static final OpenOptions APPEND = new OpenOptions().setAppend(true).setCreate(true).setWrite(true)
      .setRead(false).setPerms("rw-------");

  /** What kept the first entry that stays. */
  enum Limit {
    /** only the last {@code keep} entries were left */
    KEEP,
    /** a reader has yet to take it */
    READER,
    /** it is inside the de-duplication window */
    WINDOW,
    /** nothing: every line went (there was no complete one left) */
    END
  }

  /**
   * Where the kept entries start.
   *
   * @param header  the log's header when the plan was made
   * @param cut     the position in the log of the first line kept
   * @param dropped lines before it (entries, or lines cut short by a crash)
   * @param planned the log's length when the plan was made: {@link #stage} copies up to there
   * @param limit   what kept the line at {@code cut}
   */
  record Plan(LogHeader header, long cut, long dropped, long planned, Limit limit) {

    /** The log offset of the first line kept: the new header's. */
    long first() {
      return header.offset(cut);
    }
  }

  private final Path log;
  private final BooleanSupplier cancelled;
  private FileChannel source;
  private Plan plan;
  private AtomicFile.Replacement replacement;
  private long copied;

  /** @param cancelled checked between chunks of work: the log is closing, give up (the old log stays) */
  LogCompaction(Path log, BooleanSupplier cancelled) {
    this.log = log;
    this.cancelled = cancelled;
  }

  /**
   * Compacts the log: plans, stages and — when some lines may go — holds appends, finishes, opens the replacement for
   * appending (a handle that follows it through the rename), commits and swaps the appender to it, then lets the
   * appends go. Call it on the log's owning context; the file work runs on workers.
   *
   * @return the plan carried out (nothing changed when it dropped nothing); a failure leaves the log as it was
   */
  static Future<Plan> run(Vertx vertx, Path log, LogAppender appender, BooleanSupplier cancelled, long entries,
      long keep, long neededFrom, long cutoffMillis) {
    LogCompaction job = new LogCompaction(log, cancelled);
    return vertx.executeBlocking(() -> job.plan(entries, keep, neededFrom, cutoffMillis), false)
        .compose(plan -> plan.dropped() == 0 ? Future.succeededFuture(plan) : vertx.executeBlocking(() -> {
          job.stage();
          return plan;
        }, false).compose(staged -> job.swap(vertx, appender)))
        // A replacement left behind (it could not be deleted) is removed at the next open.
        .eventually(() -> vertx.executeBlocking(() -> {
          job.close();
          return null;
        }, false).otherwiseEmpty());
  }

  private Future<Plan> swap(Vertx vertx, LogAppender appender) {
    return appender.hold()
        .compose(idle -> vertx.executeBlocking(this::finish, false))
        .compose(size -> vertx.fileSystem().open(replacement.temp().toString(), new OpenOptions(APPEND))
            .compose(next -> vertx.executeBlocking(() -> {
              commit();
              return size;
            }, false).transform(committed -> {
              if (committed.failed()) {
                return next.close().otherwiseEmpty().transform(closed -> Future.<Plan>failedFuture(committed.cause()));
              }
              LOG.info("webhook log {} compacted: {} oldest line(s) dropped, {} bytes now ({} when it began)",
                  log.getFileName(), plan.dropped(), size, plan.planned());
              return appender.swap(next).close().otherwiseEmpty().map(plan);
            })))
        .eventually(() -> {
          appender.release();
          return Future.succeededFuture();
        });
  }

  /**
   * Finds the oldest lines that may go: a line goes only when it is not among the last {@code keep} of the
   * {@code entries} counted, it ends at or before {@code neededFrom} (no reader still needs it), and its entry was
   * accepted before {@code cutoffMillis} (it is out of the de-duplication window). The first line that must stay, and
   * every line after it, stay.
   */
  Plan plan(long entries, long keep, long neededFrom, long cutoffMillis) throws IOException {
    source = FileChannel.open(log, StandardOpenOption.READ);
    LogHeader header = LogHeader.read(source);
    long size = source.size();
    LogLines lines = new LogLines(source, header.length(), size);
    long dropped = 0;
    long cut = header.length();
    Limit limit;
    while (true) {
      checkCancelled();
      if (dropped >= entries - keep) {
        limit = Limit.KEEP;
      } else if (!lines.next()) {
        limit = Limit.END;
      } else if (header.offset(lines.end()) > neededFrom) {
        limit = Limit.READER;
      } else if (lines.acceptedMillis() >= cutoffMillis) {
        limit = Limit.WINDOW;
      } else {
        cut = lines.end();
        dropped++;
        continue;
      }
      break;
    }
    plan = new Plan(header, cut, dropped, size, limit);
    return plan;
  }

  /** Writes the new header and the kept entries up to the planned length into the replacement file. */
  void stage() throws IOException {
    replacement = AtomicFile.begin(log);
    ByteBuffer header = ByteBuffer.wrap(LogHeader.line(plan.first()));
    while (header.hasRemaining()) {
      replacement.channel().write(header);
    }
    copied = copy(plan.cut(), plan.planned());
  }

  /**
   * With appends held (none in flight): copies what was appended since the plan and forces the replacement.
   *
   * @return the replacement's length
   */
  long finish() throws IOException {
    copied = copy(copied, source.size());
    replacement.channel().force(true);
    return replacement.channel().size();
  }

  /**
   * Renames the replacement over the log. Fails only when the log was left as it was; a rename whose directory could
   * not be forced is in place (a WARN says so).
   */
  void commit() throws IOException {
    try {
      replacement.commit();
    } catch (IOException e) {
      if (!replacement.renamed()) {
        throw e;
      }
      LOG.warn("webhook log {} compacted, but its directory could not be forced ({}): a power cut could undo it",
          log, e.getClass().getSimpleName());
    }
  }

  /** Lets go of the files; a replacement not renamed is deleted. */
  @Override
  public void close() throws IOException {
    try (FileChannel opened = source; AtomicFile.Replacement written = replacement) {
      // both closed, the replacement deleted unless renamed
    }
  }

  private long copy(long from, long to) throws IOException {
    long at = from;
    while (at < to) {
      checkCancelled();
      long moved = source.transferTo(at, Math.min(COPY_CHUNK, to - at), replacement.channel());
      if (moved <= 0) {
        throw new IOException("the webhook log ended before " + to);
      }
      at += moved;
    }
    return at;
  }

  private void checkCancelled() throws InterruptedIOException {
    if (cancelled.getAsBoolean()) {
      throw new InterruptedIOException("the webhook log is closing");
    }
  }
}
