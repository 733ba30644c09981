package io.mallgate.concurrent;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Asynchronous steps one after another, for work over a list that may be long (every dirty mall of a usage flush,
 * every mall a keep-alive run finds due).
 *
 * <p>Why not {@code step().compose(done -> rest())}: each step's future then waits on the rest's, and when the last
 * completes the completion unwinds through one nested future per step, on one stack. With thousands of malls that is
 * a {@link StackOverflowError} on the event loop (seen: a usage flush after load over 10,000 malls). Here steps that
 * are already complete are looped over, a pending one resumes the loop from its own completion, and the one returned
 * future is completed once, at the end: the stack stays as deep as one step, whatever the count.
 */
public final class InTurn {

  private InTurn() {
  }

  /**
   * Starts {@code next}'s steps one at a time: the next is asked for once the previous step's future completed,
   * whatever its outcome (a step that must stop the rest says so through what {@code next} returns).
   *
   * @param next the next step's future, or {@code null} when there is none left
   * @return completes once {@code next} gave {@code null}; fails only if {@code next} itself throws
   */
  public static Future<Void> until(Supplier<Future<?>> next) {
    Promise<Void> done = Promise.promise();
    new Steps(next, done).run();
    return done.future();
  }

  private static final class Steps implements Handler<AsyncResult<Object>> {
    private final Supplier<Future<?>> next;
    private final Promise<Void> done;

    Steps(Supplier<Future<?>> next, Promise<Void> done) {
      this.next = next;
      this.done = done;
    }

    @SuppressWarnings("unchecked")
    void run() {
      while (true) {
        Future<?> step;
        try {
          step = next.get();
        } catch (RuntimeException e) {
          done.fail(e);
          return;
        }
        if (step == null) {
          done.complete();
          return;
        }
        if (!step.isComplete()) {
          ((Future<Object>) step).onComplete(this);
          return;
        }
      }
    }

    @Override
    public void handle(AsyncResult<Object> stepDone) {
      run();
    }
  }
}
