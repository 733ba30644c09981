package io.mallgate.resilience;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.concurrent.OwningContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The waiting room of one instance: a FIFO per mall, in which only the head asks the model for a slot. Granted, the
 * head leaves and the next asks at once; told to wait {@code w} ms, the head asks again after a timer of {@code w}
 * (never blocking), and every request whose wait would then pass {@code maxWait} — its time waited so far, plus
 * {@code w}, plus the time the requests ahead of it take (one pace interval each while the bucket has room, one drain
 * interval each once it is full) — is refused at once with {@code RATE_LIMITED} and a {@code Retry-After} of that
 * estimate. A full queue refuses a new request at once. Malls never share a queue, so
 * one mall's burst cannot delay another's calls.
 *
 * <p>All state is confined to the Vert.x context the instance was created on; {@link #acquire} and {@link #queued}
 * may be called from any event loop: they hop there, and their Futures complete back on the caller's context.
 */
final class MallQueues {

  /** The model's answer for a mall's next call; implementations never fail. */
  @FunctionalInterface
  interface Decider {
    Future<Decision> decide(String mall);
  }

  /**
   * One answer of the model.
   *
   * @param waitMillis 0 when a slot was granted (and recorded), else the wait in ms before asking again
   * @param room       the calls the mall's bucket would still take now, pacing aside, or -1 when unknown (a pause,
   *                   the deployment's cap): the queue's estimates of the waits ahead rest on it
   */
  record Decision(long waitMillis, int room) {

    static Decision granted(int room) {
      return new Decision(0, room);
    }

    static Decision waitFor(long millis, int room) {
      return new Decision(millis, room);
    }

    boolean isGrant() {
      return waitMillis <= 0;
    }
  }

  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final Context context;
  /** Read at each decision: a reload's new maxWait, maxQueue and drain rate apply to requests already waiting. */
  private final Supplier<RateBudget> budget;
  private final Decider decider;
  private final Map<String, Line> lines = new HashMap<>();
  private final OwningContext owner;

  MallQueues(Vertx vertx, Supplier<RateBudget> budget, Decider decider) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.owner = OwningContext.current(vertx);
    this.budget = budget;
    this.decider = decider;
  }

  /** Completes when the mall's call may go; fails with {@code RATE_LIMITED} and {@code Retry-After}. */
  Future<Void> acquire(String mall) {
    return owner.run(() -> {
      Promise<Void> slot = Promise.promise();
      enqueue(mall, slot);
      return slot.future();
    });
  }

  /** How many of the mall's requests wait on this instance now (read on the queues' context). */
  Future<Integer> queued(String mall) {
    return owner.run(() -> {
      Line line = lines.get(mall);
      return Future.succeededFuture(line == null ? 0 : line.waiting.size());
    });
  }

  private void enqueue(String mall, Promise<Void> slot) {
    Line line = lines.computeIfAbsent(mall, Line::new);
    RateBudget budget = this.budget.get();
    long now = nowMillis();
    int ahead = line.waiting.size();
    if (ahead > 0 && ahead >= budget.maxQueue()) {
      // Never less than the pacing alone takes for those ahead, even before the model has said wait.
      slot.fail(refusal(Math.max(line.estimate(ahead, now), budget.spacingMillis(ahead, ahead)),
          "too many requests are waiting for this mall's Cafe24 call budget"));
      return;
    }
    long estimate = line.estimate(ahead, now);
    if (ahead > 0 && estimate > budget.maxWaitMillis()) {
      slot.fail(refusal(estimate, "this mall's Cafe24 call budget is used up for longer than rateLimit.maxWait"));
      return;
    }
    line.waiting.add(new Waiter(slot, now));
    ask(line);
  }

  private void ask(Line line) {
    if (line.asking || line.timer != NO_TIMER || line.waiting.isEmpty()) {
      return;
    }
    line.asking = true;
    Future<Decision> decision;
    try {
      decision = decider.decide(line.mall);
    } catch (RuntimeException e) {
      decision = Future.failedFuture(e); // never leave the line asking forever
    }
    decision.onComplete(answer -> onContext(() -> {
      line.asking = false;
      // A decider never fails; should one, the head simply asks again one drain interval later.
      Decision said = answer.succeeded() ? answer.result() : Decision.waitFor(budget.get().drainMillis(1), -1);
      if (said.isGrant()) {
        grant(line);
      } else {
        hold(line, said);
      }
    }));
  }

  private void grant(Line line) {
    Waiter head = line.waiting.poll();
    if (line.waiting.isEmpty()) {
      lines.remove(line.mall, line);
    }
    head.slot().complete();
    ask(line);
  }

  private void hold(Line line, Decision said) {
    long now = nowMillis();
    long wait = said.waitMillis();
    line.saturated = true;
    line.retryAt = now + wait;
    if (said.room() >= 0) {
      line.free = Math.max(0, said.room() - 1); // the head takes one
    }
    List<Waiter> refused = line.removeThosePast(budget.get().maxWaitMillis(), now);
    if (line.waiting.isEmpty()) {
      lines.remove(line.mall, line);
    } else {
      line.timer = vertx.setTimer(wait, fired -> {
        line.timer = NO_TIMER;
        ask(line);
      });
    }
    // Coming back, a refused request would queue behind those still waiting. Failed last, once the line is
    // consistent: a caller's reaction may well be to ask again.
    long retryIn = line.estimate(line.waiting.size(), now);
    refused.forEach(waiter -> waiter.slot().fail(refusal(retryIn,
        "this mall's Cafe24 call budget is used up for longer than rateLimit.maxWait")));
  }

  private static GatewayFailure refusal(long waitMillis, String message) {
    long seconds = Math.max(1, (waitMillis + 999) / 1000);
    return new GatewayFailure(ErrorCode.RATE_LIMITED, message, Map.of("Retry-After", Long.toString(seconds)));
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  private record Waiter(Promise<Void> slot, long arrivedAt) {
  }

  /** One mall's queue on this instance. */
  private final class Line {
    final String mall;
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    boolean asking;
    boolean saturated;
    long timer = NO_TIMER;
    long retryAt;
    /** Calls the bucket takes after the head's, without draining: paced only, until they are used. */
    int free;

    Line(String mall) {
      this.mall = mall;
    }

    /** Takes out, in order, every request whose wait so far plus its estimate passes {@code maxWaitMillis}. */
    List<Waiter> removeThosePast(long maxWaitMillis, long now) {
      List<Waiter> removed = new ArrayList<>();
      int position = 0;
      for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
        Waiter waiter = it.next();
        if (now - waiter.arrivedAt() + estimate(position, now) > maxWaitMillis) {
          it.remove();
          removed.add(waiter);
        } else {
          position++;
        }
      }
      return removed;
    }

    /**
     * The wait ahead of a request at {@code position} (0: the head): unknown, so 0, until the model has once said
     * wait; from then on the head's remaining wait plus the time the requests ahead take: one pace interval each
     * while the bucket has room, one drain interval each once it is full. Other instances' calls for the mall are
     * not in it (it errs short when they share the mall), nor Cafe24's pauses to come.
     */
    long estimate(int position, long now) {
      return saturated ? Math.max(0, retryAt - now) + budget.get().spacingMillis(position, free) : 0;
    }
  }
}
