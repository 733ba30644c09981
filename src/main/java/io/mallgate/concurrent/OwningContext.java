package io.mallgate.concurrent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The Vert.x context some unsynchronised state is confined to: an embedded file's, the rate queues', the gateway's
 * own start and stop (all the gateway's context). Callers arrive on every event loop; {@link #run} does the work on the owner's thread and hands its outcome back on the caller's context.
 * On the owner's thread already (the owning context or one of its duplicates), nothing is scheduled.
 */
public final class OwningContext {

  private final Context context;
  private final Thread thread;

  private OwningContext(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** The context the caller runs on, which becomes the owner; call it on that context. */
  public static OwningContext current(Vertx vertx) {
    return new OwningContext(vertx.getOrCreateContext(), Thread.currentThread());
  }

  /** Runs {@code work} on the owner; its outcome comes back on the caller's context (as is, without one). */
  public <T> Future<T> run(Supplier<Future<T>> work) {
    if (Thread.currentThread() == thread) {
      return work.get();
    }
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(go -> work.get().onComplete(outcome -> {
      if (caller == null) {
        result.handle(outcome);
      } else {
        caller.runOnContext(back -> result.handle(outcome));
      }
    }));
    return result.future();
  }
}
