package io.mallgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A shared call's whole answer, as each GET that waited on it gets it ({@link Coalescing}): Cafe24's status, its
 * headers as {@link HeaderPolicy} lets them through to a caller (no {@code Set-Cookie}, no hop-by-hop header, no
 * {@code X-Request-Id}: each caller's response already has its own), the gateway's {@code X-Mallgate-Error} when the
 * first caller's answer carried one, and the body. Immutable once made, and written by each waiter on its own event
 * loop: the body is one Vert.x heap buffer, which every response writes through a slice of its own, never a copy.
 */
final class SharedAnswer {

  /** Not an answer: the waiter goes its own way (the answer was too large, or the first caller left). */
  static final SharedAnswer RELEASED = new SharedAnswer(0, null, null, null, null);

  private final int status;
  private final MultiMap headers;
  private final String gatewayCode;
  private final Buffer body;
  private final SharedCall call;

  SharedAnswer(int status, MultiMap headers, String gatewayCode, Buffer body, SharedCall call) {
    this.status = status;
    this.headers = headers;
    this.gatewayCode = gatewayCode;
    this.body = body;
    this.call = call;
  }

  boolean released() {
    return this == RELEASED;
  }

  /** Writes the answer as this caller's, on its thread; the body's memory goes back once every waiter wrote it. */
  Future<Void> writeTo(HttpServerResponse response) {
    try {
      response.setStatusCode(status);
      response.headers().addAll(headers);
      if (gatewayCode != null) {
        response.putHeader(HeaderPolicy.MALLGATE_ERROR, gatewayCode);
      }
      return response.end(body).onComplete(written -> delivered());
    } catch (RuntimeException e) {
      delivered();
      throw e;
    }
  }

  /** This waiter is done with the answer (written, or its caller had gone): call once per waiter. */
  void delivered() {
    if (call != null) {
      call.delivered();
    }
  }
}
