package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.Pipe;

/**
 * A caller's request body, read so that it can be sent again. A body that fits {@code replayBufferSize} (most Cafe24
 * calls: small JSON) is read whole into memory before anything goes upstream, so it can be replayed after a 401 and
 * the upstream never sees a partial body. A larger one streams: what was buffered goes first, the rest is piped with
 * back-pressure and cannot be replayed. Either way more than {@code maxBodySize} fails with {@code body_too_large}.
 *
 * <p>Create it synchronously in the route handler: it takes over the request's handlers before any data can be
 * dropped. Used on the request's context only.
 */
final class RequestBody {

  private final HttpServerRequest request;
  private final long maxBytes;
  private final long replayBytes;
  private final Promise<RequestBody> ready = Promise.promise();
  private Buffer head = Buffer.buffer();
  private long received;
  private boolean whole;
  private LimitedBody rest;

  private RequestBody(HttpServerRequest request, long maxBytes, long replayBytes) {
    this.request = request;
    this.maxBytes = maxBytes;
    this.replayBytes = replayBytes;
  }

  /** Starts reading. Declared lengths over the limit must have been refused before. */
  static RequestBody read(HttpServerRequest request, long maxBytes, long replayBytes) {
    RequestBody body = new RequestBody(request, maxBytes, replayBytes);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (!chunked && (length == null || "0".equals(length))) {
      body.whole = true;
      body.ready.complete(body);
    } else if (length != null && Long.parseLong(length) > replayBytes) {
      body.stream();
    } else {
      body.buffer();
    }
    return body;
  }

  /** Completes once the body is whole in memory, or once streaming can start. */
  Future<RequestBody> ready() {
    return ready.future();
  }

  /** Whether the whole body is in memory, so the request can be sent again. */
  boolean replayable() {
    return whole;
  }

  /**
   * Sends the body on an upstream request and ends it. A replayable body can be sent any number of times. The
   * returned Future fails when the caller's body fails or grows over the limit; the caller then resets the request.
   */
  Future<Void> sendTo(HttpClientRequest upstream) {
    if (whole) {
      return upstream.end(head.copy());
    }
    if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
      upstream.setChunked(true);
    }
    Pipe<Buffer> pipe = rest.pipe();
    pipe.endOnFailure(false);
    // An empty write on a chunked request could read as the terminating chunk: skip it.
    Future<Void> first = head.length() == 0 ? Future.succeededFuture() : upstream.write(head);
    return first.compose(written -> pipe.to(upstream));
  }

  /** Whether the failure seen while sending was the body growing over the limit. */
  boolean exceeded() {
    return rest != null && rest.exceeded();
  }

  /** Whether the failure seen while sending was the caller's own stream failing: the caller's fault, not Cafe24's. */
  boolean unreadableWhileSending() {
    return rest != null && rest.unreadable();
  }

  /**
   * The caller's body stream failed: malformed chunk framing, or the caller went away mid-body. A 400 for the caller
   * (if still there), never an upstream failure, and nothing worth more than the access line: what callers send is
   * not the gateway's fault, and an ERROR per garbage request would let anyone flood the logs.
   */
  static GatewayFailure unreadable() {
    return new GatewayFailure(ErrorCode.INVALID_REQUEST,
        "the request body could not be read (malformed chunked framing, or the body was cut short)");
  }

  private void buffer() {
    request.exceptionHandler(failure -> ready.tryFail(unreadable()));
    request.handler(chunk -> {
      received += chunk.length();
      if (received > maxBytes) {
        request.handler(null);
        ready.tryFail(new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
            "request body is larger than proxy.maxBodySize (" + maxBytes + " bytes)"));
      } else if (head.length() + chunk.length() > replayBytes) {
        head.appendBuffer(chunk);
        stream();
      } else {
        head.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> {
      whole = true;
      ready.tryComplete(this);
    });
  }

  /** From here on the body streams: the request stays paused until the pipe takes it. */
  private void stream() {
    request.pause();
    rest = new LimitedBody(request, maxBytes - head.length());
    ready.tryComplete(this);
  }
}
