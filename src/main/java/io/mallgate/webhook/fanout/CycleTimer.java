package io.mallgate.webhook.fanout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs a delivery cycle again and again on a Vert.x timer, never two at once: the next one starts the number of ms
 * after the previous one that it answered (0: at once). {@link #stop} cancels the next cycle and hands back the one
 * running. Confined to the context that started it.
 */
final class CycleTimer {

  private final Vertx vertx;
  private final Supplier<Future<Long>> cycle;
  private Future<Void> running = Future.succeededFuture();
  private long timer = -1;
  private boolean stopped;
  /** The thread of the context that started it (checked with -ea: the gateway's stop must hop there). */
  private Thread owner;

  /** @param cycle one cycle; completes with the wait before the next, and never fails (it handles its own) */
  CycleTimer(Vertx vertx, Supplier<Future<Long>> cycle) {
    this.vertx = vertx;
    this.cycle = cycle;
  }

  /** Schedules the first cycle. */
  void start(long delayMillis) {
    if (owner == null) {
      owner = Thread.currentThread();
    }
    assert Thread.currentThread() == owner : "CycleTimer used off its context";
    if (stopped) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delayMillis), t -> {
      Future<Long> next = cycle.get();
      running = next.mapEmpty();
      next.onComplete(wait -> start(wait.succeeded() ? wait.result() : 1_000));
    });
  }

  /** Whether {@link #stop} was called: a long cycle may end early. */
  boolean stopped() {
    return stopped;
  }

  /** No cycle starts any more; completes when the one running (if any) has ended. */
  Future<Void> stop() {
    assert owner == null || Thread.currentThread() == owner : "CycleTimer stopped off its context";
    stopped = true;
    vertx.cancelTimer(timer);
    return running.otherwiseEmpty();
  }
}
