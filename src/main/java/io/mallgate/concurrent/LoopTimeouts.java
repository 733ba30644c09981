package io.mallgate.concurrent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many timeouts of one event loop on one Vert.x timer, for what a proxy arms per request: a deadline almost always
 * cancelled long before it is due, armed in nearly the order it falls due. A Vert.x timer per request is a schedule
 * and a cancel in Netty's priority queue (O(log n) each, and a task object): about 5 % of a proxied request's CPU
 * when measured. Here arming links a node at the tail of a list kept in due order (walking back past the few that
 * fall due later), cancelling unlinks it, and the one timer is set for the earliest; when it fires it runs what is
 * due and is set again for the next. A cancelled head leaves the timer as it is: it fires once for nothing and moves
 * on.
 *
 * <p>Confined to its event loop's thread (one instance per context and name: {@link #of}); a timeout's action runs
 * on that thread.
 */
public final class LoopTimeouts {

  private static final Logger LOG = LoggerFactory.getLogger(LoopTimeouts.class);

  private final Vertx vertx;
  private final Thread thread;
  /** The earliest and the latest armed timeout; {@code null} when none is. */
  private Timeout first;
  private Timeout last;
  private long timer = -1;
  private long timerDue;

  private LoopTimeouts(Vertx vertx, Thread thread) {
    this.vertx = vertx;
    this.thread = thread;
  }

  /**
   * The timeouts called {@code name} of the current event loop's context, made on first use. Call on the loop's
   * thread. Separate names keep timeouts of different lengths apart, so that each list stays in arming order.
   */
  public static LoopTimeouts of(Context context, String name) {
    LoopTimeouts timeouts = context.get(name);
    if (timeouts == null) {
      timeouts = new LoopTimeouts(context.owner(), Thread.currentThread());
      context.put(name, timeouts);
    }
    return timeouts;
  }

  /**
   * Runs {@code action} on this loop at {@code dueNanos} ({@link System#nanoTime}), unless the returned timeout is
   * cancelled first. Rounded up to the millisecond, as a Vert.x timer is.
   */
  public Timeout arm(long dueNanos, Runnable action) {
    assert Thread.currentThread() == thread : "timeouts of another event loop";
    Timeout timeout = new Timeout(this, dueNanos, action);
    Timeout after = last;
    while (after != null && after.due - dueNanos > 0) {
      after = after.previous;
    }
    timeout.previous = after;
    timeout.next = after == null ? first : after.next;
    if (after == null) {
      first = timeout;
    } else {
      after.next = timeout;
    }
    if (timeout.next == null) {
      last = timeout;
    } else {
      timeout.next.previous = timeout;
    }
    if (timer == -1 || dueNanos - timerDue < 0) {
      setTimer(dueNanos);
    }
    return timeout;
  }

  /** Armed timeouts (for tests). */
  int armed() {
    int count = 0;
    for (Timeout t = first; t != null; t = t.next) {
      count++;
    }
    return count;
  }

  private void setTimer(long dueNanos) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    long millis = Math.max(1, (dueNanos - System.nanoTime() + 999_999) / 1_000_000);
    timerDue = dueNanos;
    timer = vertx.setTimer(millis, this::fire);
  }

  private void fire(long id) {
    if (id != timer) {
      return;
    }
    timer = -1;
    long now = System.nanoTime();
    while (first != null && first.due - now <= 0) {
      Timeout due = first;
      Runnable action = due.action;
      due.unlink();
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.error("a timeout's action failed", e);
      }
    }
    // An action may have armed a timeout (the timer then set for it): the earliest left decides either way.
    if (first != null && (timer == -1 || first.due - timerDue < 0)) {
      setTimer(first.due);
    }
  }

  /** One armed timeout. */
  public static final class Timeout {

    private final LoopTimeouts owner;
    private final long due;
    private Runnable action;
    private Timeout previous;
    private Timeout next;

    private Timeout(LoopTimeouts owner, long due, Runnable action) {
      this.owner = owner;
      this.due = due;
      this.action = action;
    }

    /** Its action will not run (a no-op once it has run or been cancelled). On the loop's thread. */
    public void cancel() {
      if (action != null) {
        unlink();
      }
    }

    private void unlink() {
      assert Thread.currentThread() == owner.thread : "timeouts of another event loop";
      if (previous == null) {
        owner.first = next;
      } else {
        previous.next = next;
      }
      if (next == null) {
        owner.last = previous;
      } else {
        next.previous = previous;
      }
      previous = null;
      next = null;
      action = null;
    }
  }
}
