package io.mallgate.webhook;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;

/**
 * Appends lines to the embedded webhook log's open file, each forced to disk before its Future completes, several in
 * flight at once. A compaction {@link #hold}s new appends (they wait, in order), waits for those in flight, then
 * {@link #swap}s the file and {@link #release}s them. Confined to the log's owning context.
 */
final class LogAppender {

  private AsyncFile file;
  private int writing;
  private Promise<Void> idle;
  private Promise<Void> held;

  LogAppender(AsyncFile file) {
    this.file = file;
  }

  /** Writes the line and forces it to disk; while held, after the release, to the file swapped in. */
  Future<Void> write(Buffer line) {
    if (held != null) {
      return held.future().compose(released -> write(line));
    }
    AsyncFile target = file;
    Future<Void> written;
    try {
      written = target.write(line);
    } catch (RuntimeException closed) {
      return Future.failedFuture(closed); // the file was closed under it: not recorded, Cafe24 resends
    }
    writing++;
    return written.compose(done -> target.flush()).andThen(done -> {
      writing--;
      if (writing == 0 && idle != null) {
        Promise<Void> waiting = idle;
        idle = null;
        waiting.complete();
      }
    });
  }

  /** Holds new appends until {@link #release}; completes once no append is in flight. */
  Future<Void> hold() {
    held = Promise.promise();
    if (writing == 0) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    return idle.future();
  }

  /** Appends go to {@code next} from now on (call while held); returns the file they went to before. */
  AsyncFile swap(AsyncFile next) {
    AsyncFile before = file;
    file = next;
    return before;
  }

  /** Lets the held appends go, in the order they came. */
  void release() {
    Promise<Void> waiting = held;
    held = null;
    if (waiting != null) {
      waiting.complete();
    }
  }

  /** Closes the file; later appends fail. Never fails. */
  Future<Void> close() {
    return file.close().otherwiseEmpty();
  }
}
