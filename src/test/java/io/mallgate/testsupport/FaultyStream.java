package io.mallgate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;

/**
 * One direction of a {@link FaultProxy} connection: the write end of a {@link io.vertx.core.streams.Pipe} whose
 * writes reach {@code target} as the current {@link Fault} says — at once, late, held, or not at all because the
 * connection is cut. Held and delayed chunks wait in one queue, so they always leave in the order they came; the
 * queue counts toward {@link #writeQueueFull()}, so a slow or held direction pauses its source (back-pressure: a
 * black hole fills the client's TCP window, as a real one does).
 *
 * <p>Confined to the connection's event loop: every method runs there, and never blocks.
 */
final class FaultyStream implements WriteStream<Buffer> {

  /** Bytes held before the source is paused. */
  private static final int MAX_HELD = 64 * 1024;
  private static final long HELD = Long.MAX_VALUE;

  private final Vertx vertx;
  private final NetSocket target;
  private final boolean towardTarget;
  private final Runnable reset;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long timer = -1;
  private long forwarded;
  private Fault fault;
  private Handler<Void> drainHandler;
  private Promise<Void> ended;

  /**
   * @param towardTarget whether this direction carries the client's bytes to the target (the other carries answers)
   * @param reset        cuts the whole connection, both ways
   */
  FaultyStream(Vertx vertx, NetSocket target, boolean towardTarget, Fault fault, Runnable reset) {
    this.vertx = vertx;
    this.target = target;
    this.towardTarget = towardTarget;
    this.reset = reset;
    this.fault = fault;
    target.drainHandler(drained -> pump());
  }

  /** Switches this direction to {@code next}: held chunks are re-dated (released unless still a black hole). */
  void apply(Fault next) {
    fault = next;
    forwarded = 0;
    long due = due();
    for (Chunk chunk : queue) {
      chunk.due = Math.min(chunk.due == HELD ? due : chunk.due, due);
    }
    pump();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (fault instanceof Fault.ResetOnResponse && !towardTarget) {
      reset.run();
      return Future.succeededFuture();
    }
    if (fault instanceof Fault.ResetAfterBytes limit && towardTarget) {
      long allowed = limit.bytes() - forwarded;
      if (data.length() >= allowed) {
        // The allowed part goes out first; the cut follows once it is on the wire.
        Buffer part = data.slice(0, (int) Math.max(0, allowed));
        forwarded += part.length();
        enqueue(part).onComplete(written -> reset.run());
        return Future.succeededFuture();
      }
    }
    forwarded += data.length();
    return enqueue(data);
  }

  private Future<Void> enqueue(Buffer data) {
    long due = due();
    if (queue.isEmpty() && due <= System.nanoTime()) {
      return target.write(data);
    }
    Chunk chunk = new Chunk(data, due);
    queue.addLast(chunk);
    queuedBytes += data.length();
    pump();
    return chunk.written.future();
  }

  private long due() {
    if (fault instanceof Fault.BlackHole) {
      return HELD;
    }
    long now = System.nanoTime();
    return fault instanceof Fault.Latency latency ? now + latency.delay().toNanos() : now;
  }

  /** Sends what is due, in order; then waits for time, for the target to drain, or for a new fault. */
  private void pump() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    while (!queue.isEmpty() && queue.peekFirst().due <= System.nanoTime() && !target.writeQueueFull()) {
      Chunk chunk = queue.pollFirst();
      queuedBytes -= chunk.data.length();
      target.write(chunk.data).onComplete(chunk.written);
    }
    Chunk head = queue.peekFirst();
    if (head != null && head.due != HELD && !target.writeQueueFull()) {
      long millis = Math.max(1, (head.due - System.nanoTime()) / 1_000_000);
      timer = vertx.setTimer(millis, fired -> {
        timer = -1;
        pump();
      });
    }
    if (queue.isEmpty() && ended != null) {
      target.end().onComplete(ended);
      ended = null;
    }
    if (drainHandler != null && !writeQueueFull()) {
      Handler<Void> handler = drainHandler;
      drainHandler = null;
      handler.handle(null);
    }
  }

  @Override
  public Future<Void> end() {
    if (queue.isEmpty()) {
      return target.end();
    }
    ended = Promise.promise();
    return ended.future();
  }

  @Override
  public boolean writeQueueFull() {
    return queuedBytes >= MAX_HELD || target.writeQueueFull();
  }

  @Override
  public FaultyStream drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public FaultyStream setWriteQueueMaxSize(int maxSize) {
    target.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public FaultyStream exceptionHandler(Handler<Throwable> handler) {
    // The connection watches both sockets itself (see FaultProxy): a failure there cuts both ways.
    return this;
  }

  /** A chunk waiting to be written; {@code due} is a {@link System#nanoTime()} instant, or held. */
  private static final class Chunk {
    final Buffer data;
    final Promise<Void> written = Promise.promise();
    long due;

    Chunk(Buffer data, long due) {
      this.data = data;
      this.due = due;
    }
  }
}
