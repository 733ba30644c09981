package io.mallgate.concurrent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InTurn}: steps one after another, in order, each started once the previous completed, with a stack as deep
 * as one step however many there are — the nested {@code compose} it replaced overflowed the event loop's stack with
 * a usage flush of 10,000 malls.
 */
class InTurnTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void should_run_a_hundred_thousand_steps_that_are_already_complete_without_growing_the_stack() {
    AtomicInteger ran = new AtomicInteger();
    Future<Void> done = InTurn.until(() -> ran.get() == 100_000 ? null
        : ran.incrementAndGet() % 2 == 0 ? Future.succeededFuture() : Future.failedFuture("a step's own failure"));
    assertTrue(done.succeeded(), "a step's failure is the step's business: the rest still run");
    assertEquals(100_000, ran.get());
  }

  @Test
  void should_run_fifty_thousand_pending_steps_in_order_on_the_loop_without_overflowing() {
    int count = 50_000;
    List<Integer> order = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlap = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(go -> InTurn.until(() -> {
      int i = next.getAndIncrement();
      if (i == count) {
        return null;
      }
      if (running.incrementAndGet() > 1) {
        overlap.incrementAndGet();
      }
      Promise<Void> step = Promise.promise();
      // Completed later, from a task of its own: the shape of a Redis reply or a timer.
      vertx.runOnContext(later -> {
        order.add(i);
        running.decrementAndGet();
        step.complete();
      });
      return step.future();
    }).onComplete(all));
    Future<Void> done = all.future();
    await().atMost(Duration.ofSeconds(30)).until(done::isComplete);
    assertTrue(done.succeeded(), String.valueOf(done.cause()));
    assertEquals(count, order.size());
    for (int i = 0; i < count; i++) {
      assertEquals(i, order.get(i));
    }
    assertEquals(0, overlap.get(), "one step at a time");
  }

  @Test
  void should_fail_when_asking_for_the_next_step_throws_and_stop_there() {
    IllegalStateException broken = new IllegalStateException("broken");
    AtomicInteger asked = new AtomicInteger();
    Future<Void> done = InTurn.until(() -> {
      if (asked.incrementAndGet() == 3) {
        throw broken;
      }
      return Future.succeededFuture();
    });
    assertTrue(done.failed());
    assertSame(broken, done.cause());
    assertEquals(3, asked.get());
  }

  @Test
  void should_complete_at_once_when_there_is_no_step() {
    Future<Void> done = InTurn.until(() -> null);
    assertTrue(done.succeeded());
    assertFalse(done.failed());
  }
}
