package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A caller's request body as a stream that fails with {@code body_too_large} as soon as more than {@code maxBytes}
 * have arrived, without buffering anything: chunks flow through as they come, with the source's back-pressure. A
 * declared {@code Content-Length} over the limit is refused before this is ever read (see {@link Admission#admit});
 * this catches chunked bodies and lying lengths. A caller that falls silent for {@code idleMillis} while the body is
 * wanted (not while the gateway itself holds it back for Cafe24's sake) fails it with {@code body_timeout}.
 *
 * <p>Used on the request's context only, like the request itself.
 */
final class LimitedBody implements ReadStream<Buffer> {

  private final Vertx vertx;
  private final ReadStream<Buffer> source;
  private final long maxBytes;
  private final long idleMillis;
  private long lastHeard;
  private boolean held;
  private boolean silent;
  private long timer = -1;
  private long received;
  private boolean exceeded;
  /** The caller's own stream failed (malformed chunks, or the caller left mid-body). */
  private boolean unreadable;
  private Handler<Throwable> exceptionHandler;

  LimitedBody(Vertx vertx, ReadStream<Buffer> source, long maxBytes, long idleMillis) {
    this.vertx = vertx;
    this.source = source;
    this.maxBytes = maxBytes;
    this.idleMillis = idleMillis;
  }

  /** Whether the caller fell silent for the idle deadline (the failure the pipe saw is then {@code body_timeout}). */
  boolean silent() {
    return silent;
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
      vertx.cancelTimer(timer);
      return this;
    }
    lastHeard = System.nanoTime();
    watch(idleMillis);
    source.handler(chunk -> {
      if (exceeded || silent) {
        return;
      }
      lastHeard = System.nanoTime();
      received += chunk.length();
      if (received > maxBytes) {
        exceeded = true;
        vertx.cancelTimer(timer);
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
      vertx.cancelTimer(timer);
      unreadable = true;
      handler.handle(RequestBody.unreadable());
    });
    return this;
  }

  @Override
  public LimitedBody pause() {
    held = true;
    source.pause();
    return this;
  }

  @Override
  public LimitedBody resume() {
    held = false;
    lastHeard = System.nanoTime();
    if (!exceeded && !silent) {
      source.resume();
    }
    return this;
  }

  /** One timer at a time, re-armed for what is left rather than reset per chunk. */
  private void watch(long delayMillis) {
    timer = vertx.setTimer(Math.max(1, delayMillis), fired -> {
      long quietMillis = (System.nanoTime() - lastHeard) / 1_000_000;
      if (held || quietMillis < idleMillis) {
        watch(held ? idleMillis : idleMillis - quietMillis);
        return;
      }
      silent = true;
      source.pause();
      if (exceptionHandler != null) {
        exceptionHandler.handle(RequestBody.bodyTimeout(idleMillis));
      }
    });
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
    source.endHandler(endHandler == null ? null : ended -> {
      vertx.cancelTimer(timer);
      endHandler.handle(ended);
    });
    return this;
  }
}
