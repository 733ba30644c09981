package io.mallgate.proxy;

import io.mallgate.concurrent.LoopTimeouts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;

/**
 * Brings the answers of the services all event loops share back to the thread of the request that asked.
 *
 * <p>Each event loop has its own server and upstream client, but the token cache, the rate queues and the breakers
 * are shared, and their Futures may complete on another loop: a store read that a request on another loop started
 * (joined, not repeated), a rate slot granted on the queues' context. A proxied request's state — its body stream, its
 * upstream exchange, its response — belongs to the thread of its connection, so the request carries on only there.
 * On that thread already (the common case: a cached token, no rate queue), nothing is scheduled.
 */
final class RequestLoop {

  private final Context context;
  private final Thread thread;

  private RequestLoop(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** The loop of the request being handled ({@link ProxyCall#loop}); call on its thread, when the request arrives. */
  static RequestLoop enter(RoutingContext ctx) {
    return new RequestLoop(ctx.vertx().getOrCreateContext(), Thread.currentThread());
  }

  /** {@code shared}'s outcome, delivered on the request's thread. */
  <T> Future<T> back(Future<T> shared) {
    if (shared.isComplete() && Thread.currentThread() == thread) {
      return shared;
    }
    Promise<T> here = Promise.promise();
    shared.onComplete(outcome -> {
      if (Thread.currentThread() == thread) {
        here.handle(outcome);
      } else {
        context.runOnContext(hop -> here.handle(outcome));
      }
    });
    return here.future();
  }

  /** Runs {@code action} on the request's thread: now when called there, else as soon as the loop gets to it. */
  void run(Runnable action) {
    if (Thread.currentThread() == thread) {
      action.run();
    } else {
      context.runOnContext(hop -> action.run());
    }
  }

  /** This loop's timeouts called {@code name} ({@link LoopTimeouts#of}); on the request's thread. */
  LoopTimeouts timeouts(String name) {
    return LoopTimeouts.of(context, name);
  }

  /** Whether the caller runs on the request's thread (for assertions). */
  boolean onThread() {
    return Thread.currentThread() == thread;
  }
}
