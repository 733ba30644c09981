package io.mallgate.edge;

import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections that must serve nothing more: they carried an ambiguous message, or a body the gateway did not read.
 * Vert.x dispatches a pipelined request as soon as the previous response ends, before a close could take effect,
 * so the close is two-sided: the connection closes once the answer is written, and any request already queued on it
 * is dropped unanswered by {@link FrontDoor}. Thread-safe.
 */
public final class ClosingConnections {

  private final Set<HttpConnection> closing = ConcurrentHashMap.newKeySet();

  /** Marks the request's connection and closes it once {@code answered} completes. */
  public void closeAfter(HttpServerRequest request, Future<Void> answered) {
    HttpConnection connection = request.connection();
    closing.add(connection);
    connection.closeHandler(closed -> closing.remove(connection));
    answered.onComplete(written -> connection.close());
  }

  /** Whether the connection is on its way out. */
  public boolean isClosing(HttpConnection connection) {
    return closing.contains(connection);
  }
}
