package io.mallgate.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections that must serve nothing more: they carried an ambiguous message, or a body the gateway did not read.
 * Vert.x dispatches a pipelined request as soon as the previous response ends, before a close could take effect,
 * so the close is two-sided: the connection closes once the answer is written, and any request already queued on it
 * is dropped unanswered by {@link FrontDoor}.
 *
 * <p>A close with body bytes still coming in would make the kernel answer them with a reset, and a plain client
 * (one that sends its whole body before reading) would see "connection reset" instead of our 413 or 408. So, like
 * nginx's lingering close, what the sender still sends is read and dropped — up to {@link #LINGER_BYTES} and for
 * {@link #LINGER_MILLIS} at most — before the close. Thread-safe.
 */
public final class ClosingConnections {

  /** The longest a refused sender may keep sending before the connection is cut. */
  static final long LINGER_MILLIS = 5_000;
  /** The most a refused sender may still send before the connection is cut. */
  static final long LINGER_BYTES = 64L * 1024 * 1024;

  private final Vertx vertx;
  private final Set<HttpConnection> closing = ConcurrentHashMap.newKeySet();

  public ClosingConnections(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Marks the request's connection and closes it once {@code answered} completes and the rest of the request's body
   * (if any) has been read and dropped, within the lingering bounds.
   */
  public void closeAfter(HttpServerRequest request, Future<Void> answered) {
    HttpConnection connection = request.connection();
    closing.add(connection);
    connection.closeHandler(closed -> closing.remove(connection));
    answered.onComplete(written -> linger(request, connection));
  }

  /** Whether the connection is on its way out. */
  public boolean isClosing(HttpConnection connection) {
    return closing.contains(connection);
  }

  private void linger(HttpServerRequest request, HttpConnection connection) {
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MILLIS, fired -> connection.close());
    long[] left = {LINGER_BYTES};
    try {
      request.handler(chunk -> {
        left[0] -= chunk.length();
        if (left[0] < 0) {
          connection.close();
        }
      });
      request.exceptionHandler(failure -> connection.close());
      request.endHandler(ended -> connection.close());
      connection.closeHandler(closed -> {
        closing.remove(connection);
        vertx.cancelTimer(timer);
      });
      request.resume();
    } catch (IllegalStateException alreadyRead) {
      // Someone read the body to its end meanwhile: nothing left to drain.
      vertx.cancelTimer(timer);
      connection.close();
    }
  }
}
