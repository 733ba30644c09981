package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.resilience.BodyMemory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.Pipe;

/**
 * A caller's request body, read so that it can be sent again. A body that fits {@code replayBufferSize} (most Cafe24
 * calls: small JSON) is read whole into memory before anything goes upstream, so it can be replayed after a 401 and
 * the upstream never sees a partial body. A larger one streams: what was buffered goes first, the rest is piped with
 * back-pressure and cannot be replayed. Either way more than {@code maxBodySize} fails with {@code body_too_large}.
 *
 * <p>Deadlines: the buffered part (the whole body, or the first {@code replayBufferSize} bytes of a larger one) must
 * arrive within {@code proxy.bodyTimeout} — it is read before the call takes a concurrency place, so a sender that
 * trickles holds none; the streamed rest may fall silent for at most that long at a time ({@link LimitedBody}).
 * Past either, 408 {@code body_timeout}. The buffered bytes count against the instance's {@link BodyMemory} until
 * {@link #release}; past it, 503 {@code overloaded}.
 *
 * <p>Create it synchronously in the route handler: it takes over the request's handlers before any data can be
 * dropped. Used on the request's context only.
 */
final class RequestBody {

  private final HttpServerRequest request;
  private final long maxBytes;
  private final long replayBytes;
  private final Vertx vertx;
  private final long timeoutMillis;
  private final BodyMemory memory;
  private final Promise<RequestBody> ready = Promise.promise();
  private long reserved;
  private long timer = -1;
  private Buffer head = Buffer.buffer();
  private long received;
  private boolean whole;
  private LimitedBody rest;

  private RequestBody(Vertx vertx, HttpServerRequest request, GatewayConfig.Proxy limits, BodyMemory memory) {
    this.vertx = vertx;
    this.request = request;
    this.maxBytes = limits.maxBodySize();
    this.replayBytes = limits.replayBufferSize();
    this.timeoutMillis = limits.bodyTimeout().toMillis();
    this.memory = memory;
  }

  /** Starts reading. Declared lengths over the limit must have been refused before. */
  static RequestBody read(Vertx vertx, HttpServerRequest request, GatewayConfig.Proxy limits, BodyMemory memory) {
    RequestBody body = new RequestBody(vertx, request, limits, memory);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (!chunked && (length == null || "0".equals(length))) {
      body.whole = true;
      body.ready.complete(body);
    } else {
      // A large declared body too: its first replayBufferSize bytes must come before the call takes a place.
      body.buffer();
    }
    return body;
  }

  /** Whether there was no body at all: nothing is held, so there is nothing for {@link #release} to give back. */
  boolean none() {
    return whole && received == 0 && timer == -1;
  }

  /** Gives back what the buffered bytes held of the instance's body memory; call once, when the exchange ends. */
  void release() {
    memory.release(reserved);
    reserved = 0;
    vertx.cancelTimer(timer);
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
      return head.length() == 0 ? endEmpty(upstream) : upstream.end(head.copy());
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

  /**
   * Ends a request with no body, with no buffer to copy. A GET, HEAD or DELETE goes without a length, as such a
   * request usually does; any other method says {@code Content-Length: 0} (RFC 9110 §8.6: a method that gives content
   * a meaning should), even when the caller sent an empty chunked body or no length at all — some servers answer 411
   * without one. A caller's own {@code Content-Length} was copied already.
   */
  private static Future<Void> endEmpty(HttpClientRequest upstream) {
    HttpMethod method = upstream.getMethod();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.DELETE
        && !upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      upstream.putHeader(HttpHeaders.CONTENT_LENGTH, "0");
    }
    return upstream.end();
  }

  /** Whether the failure seen while sending was the body growing over the limit. */
  boolean exceeded() {
    return rest != null && rest.exceeded();
  }

  /** Whether the failure seen while sending was the caller's own stream failing: the caller's fault, not Cafe24's. */
  boolean unreadableWhileSending() {
    return rest != null && rest.unreadable();
  }

  /** Whether the failure seen while sending was the caller's body falling silent for {@code proxy.bodyTimeout}. */
  boolean silentWhileSending() {
    return rest != null && rest.silent();
  }

  /** The body is (or was declared) larger than {@code proxy.maxBodySize}: 413 {@code body_too_large}. */
  static GatewayFailure tooLarge(long maxBytes) {
    return new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
        "request body is larger than proxy.maxBodySize (" + maxBytes + " bytes)");
  }

  static GatewayFailure bodyTimeout(long timeoutMillis) {
    return new GatewayFailure(ErrorCode.BODY_TIMEOUT,
        "the request body did not arrive within proxy.bodyTimeout (" + timeoutMillis + " ms)");
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
    timer = vertx.setTimer(timeoutMillis, fired -> refuse(bodyTimeout(timeoutMillis)));
    request.exceptionHandler(failure -> refuse(unreadable()));
    request.handler(chunk -> {
      received += chunk.length();
      if (received > maxBytes) {
        refuse(tooLarge(maxBytes));
      } else if (!memory.reserve(chunk.length())) {
        refuse(new GatewayFailure(ErrorCode.OVERLOADED, "the gateway holds too many request bodies; try again shortly",
            java.util.Map.of("Retry-After", "1")));
      } else if (head.length() + chunk.length() > replayBytes) {
        reserved += chunk.length();
        head.appendBuffer(chunk);
        stream();
      } else {
        reserved += chunk.length();
        head.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> {
      whole = true;
      vertx.cancelTimer(timer);
      ready.tryComplete(this);
    });
  }

  /** Stops reading (what still comes is the error renderer's to drain) and fails the body with {@code failure}. */
  private void refuse(GatewayFailure failure) {
    if (ready.future().isComplete()) {
      return;
    }
    vertx.cancelTimer(timer);
    request.handler(null);
    request.endHandler(null);
    ready.tryFail(failure);
  }

  /** From here on the body streams: the request stays paused until the pipe takes it. */
  private void stream() {
    request.pause();
    vertx.cancelTimer(timer);
    rest = new LimitedBody(vertx, request, maxBytes - head.length(), timeoutMillis);
    ready.tryComplete(this);
  }
}
