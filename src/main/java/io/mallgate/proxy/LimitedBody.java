package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A caller's request body as a stream that fails with {@code body_too_large} as soon as more than {@code maxBytes}
 * have arrived, without buffering anything: chunks flow through as they come, with the source's back-pressure. A
 * declared {@code Content-Length} over the limit is refused before this is ever read (see {@link ProxyHandler});
 * this catches chunked bodies and lying lengths.
 *
 * <p>Used on the request's context only, like the request itself.
 */
final class LimitedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private long received;
  private boolean exceeded;
  /** The caller's own stream failed (malformed chunks, or the caller left mid-body). */
  private boolean unreadable;
  private Handler<Throwable> exceptionHandler;

  LimitedBody(ReadStream<Buffer> source, long maxBytes) {
    this.source = source;
    this.maxBytes = maxBytes;
  }

  /** Whether the body went over the limit (the failure the pipe saw is then {@code body_too_large}). */
  boolean exceeded() {
    return exceeded;
  }

  /** Whether the caller's body could not be read (the failure the pipe saw is then {@code invalid_request}). */
  boolean unreadable() {
    return unreadable;
  }

  @Override
  public LimitedBody handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      if (exceeded) {
        return;
      }
      received += chunk.length();
      if (received > maxBytes) {
        exceeded = true;
        source.pause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(new GatewayFailure(ErrorCode.BODY_TOO_LARGE,
              "request body is larger than " + maxBytes + " bytes"));
        }
        return;
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public LimitedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler == null ? null : failure -> {
      unreadable = true;
      handler.handle(RequestBody.unreadable());
    });
    return this;
  }

  @Override
  public LimitedBody pause() {
    source.pause();
    return this;
  }

  @Override
  public LimitedBody resume() {
    if (!exceeded) {
      source.resume();
    }
    return this;
  }

  @Override
  public LimitedBody fetch(long amount) {
    if (!exceeded) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public LimitedBody endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
