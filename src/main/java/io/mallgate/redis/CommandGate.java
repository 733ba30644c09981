package io.mallgate.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lets at most {@code permits} commands be in flight on the client at once; the others wait here, in order.
 *
 * <p>Why: against a Redis Cluster, vertx-redis-client takes, for every command, one pooled connection to each master
 * at the same time. With more commands in flight than a node's pool holds, two of them can each hold one node's last
 * connection while waiting for the other's: both wait for ever, and so does every command after them (seen under a
 * 600-request refresh storm). Keeping the commands in flight within the pool size means no acquisition ever waits,
 * so none can deadlock. Against a single Redis the gate changes nothing: each command holds a pooled connection
 * while it runs anyway.
 *
 * <p>A command keeps its place until the client answers it, even after its caller has given up: handing the place
 * back early would let more commands reach the pools than they hold, and the deadlock would form again. A waiting
 * command whose caller has given up is skipped, never sent; at most {@code permits × }{@value #WAITING_PER_PERMIT}
 * wait, and beyond that a command fails at once (a stalled Redis must not grow the queue without end). A command taken
 * out of the queue by another thread starts on its caller's Vert.x context. Thread-safe.
 */
final class CommandGate {

  static final int WAITING_PER_PERMIT = 256;

  private final int permits;
  private final int maxWaiting;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waitingCount = new AtomicInteger();
  private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();

  CommandGate(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.permits = permits;
    this.maxWaiting = (int) Math.min(Integer.MAX_VALUE, (long) permits * WAITING_PER_PERMIT);
  }

  /**
   * Runs {@code command} now, or once fewer than {@code permits} are in flight.
   *
   * @param abandon completes when the caller no longer wants the result (its deadline); a command still waiting by
   *     then is never run
   * @return the command's outcome, or a failure at once when too many wait already
   */
  <T> Future<T> run(Supplier<Future<T>> command, Future<?> abandon) {
    if (waitingCount.incrementAndGet() > maxWaiting) {
      waitingCount.decrementAndGet();
      return Future.failedFuture(new IllegalStateException("too many Redis commands waiting"));
    }
    Promise<T> result = Promise.promise();
    waiting.add(new Waiting<>(command, result, abandon, Vertx.currentContext()));
    drain();
    return result.future();
  }

  /** Commands in flight now (for tests). */
  int inFlight() {
    return inFlight.get();
  }

  private void drain() {
    while (!waiting.isEmpty() && tryAcquire()) {
      Waiting<?> next = waiting.poll();
      if (next != null) {
        waitingCount.decrementAndGet();
      }
      if (next == null || !next.start(this::release)) {
        inFlight.decrementAndGet();
      }
    }
  }

  private void release() {
    inFlight.decrementAndGet();
    drain();
  }

  private boolean tryAcquire() {
    while (true) {
      int now = inFlight.get();
      if (now >= permits) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  private record Waiting<T>(Supplier<Future<T>> command, Promise<T> result, Future<?> abandon, Context context) {

    /** Starts the command, or returns {@code false} when its caller has already given up. */
    boolean start(Runnable done) {
      if (abandon.isComplete()) {
        return false;
      }
      if (context == null || Vertx.currentContext() == context) {
        send(done);
      } else {
        context.runOnContext(v -> send(done));
      }
      return true;
    }

    private void send(Runnable release) {
      Future<T> sent;
      try {
        sent = command.get();
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      sent.onComplete(outcome -> {
        release.run();
        result.handle(outcome);
      });
    }
  }
}
