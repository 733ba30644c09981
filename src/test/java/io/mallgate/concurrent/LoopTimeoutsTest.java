package io.mallgate.concurrent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts of one loop on one timer: due order, cancellation, the loop's thread, nothing kept once done. */
class LoopTimeoutsTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void should_run_each_action_at_its_due_time_in_due_order_on_the_loop_even_when_armed_out_of_order() {
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Thread loop = on(() -> Thread.currentThread());
    long armedAt = on(() -> {
      LoopTimeouts timeouts = LoopTimeouts.of(context, "t");
      long now = System.nanoTime();
      for (int ms : new int[] {300, 100, 200, 150}) {
        timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(ms), () -> {
          ran.add(ms + "ms at " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - now));
          threads.add(Thread.currentThread());
        });
      }
      return now;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 4);
    assertEquals(List.of("100ms", "150ms", "200ms", "300ms"), ran.stream().map(r -> r.split(" ")[0]).toList());
    for (String r : ran) { // never early
      String[] parts = r.split(" ");
      assertTrue(Long.parseLong(parts[2]) >= Long.parseLong(parts[0].replace("ms", "")), r);
    }
    assertTrue(threads.stream().allMatch(t -> t == loop), "on the loop's thread");
    assertTrue(armedAt > 0);
    assertEquals(0, on(() -> LoopTimeouts.of(context, "t").armed()));
  }

  @Test
  void should_run_no_cancelled_action_and_keep_nothing_once_cancelled() throws Exception {
    List<Integer> ran = new CopyOnWriteArrayList<>();
    on(() -> {
      LoopTimeouts timeouts = LoopTimeouts.of(context, "t");
      long now = System.nanoTime();
      // The head is cancelled: the one timer was set for it; the rest must still run.
      LoopTimeouts.Timeout head = timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(50), () -> ran.add(50));
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        LoopTimeouts.Timeout t = timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(100 + i % 7), () -> ran.add(n));
        if (i % 1000 != 0) {
          t.cancel();
        }
      }
      head.cancel();
      head.cancel(); // twice: a no-op
      assertEquals(10, timeouts.armed());
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 10);
    Thread.sleep(200); // nothing else runs after
    assertEquals(List.of(0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000),
        ran.stream().sorted().toList());
    assertEquals(0, on(() -> LoopTimeouts.of(context, "t").armed()));
  }

  @Test
  void should_run_the_rest_when_an_action_throws_and_take_new_timeouts_after_running_empty() {
    List<String> ran = new CopyOnWriteArrayList<>();
    on(() -> {
      LoopTimeouts timeouts = LoopTimeouts.of(context, "t");
      long now = System.nanoTime();
      timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(20), () -> {
        throw new IllegalStateException("boom");
      });
      timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(20), () -> ran.add("after the failure"));
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 1);
    on(() -> LoopTimeouts.of(context, "t").arm(System.nanoTime() + 1_000_000, () -> ran.add("later")));
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
  }

  @Test
  void should_keep_an_earlier_timeout_on_time_when_an_action_arms_a_later_one() {
    List<String> ran = new CopyOnWriteArrayList<>();
    long[] armedAt = new long[1];
    on(() -> {
      LoopTimeouts timeouts = LoopTimeouts.of(context, "t");
      long now = System.nanoTime();
      armedAt[0] = now;
      timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(20), () -> // its action arms one due long after the next
          timeouts.arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(3), () -> ran.add("late")));
      timeouts.arm(now + TimeUnit.MILLISECONDS.toNanos(100), () ->
          ran.add("next after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - now) + " ms"));
      return null;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isEmpty());
    long after = Long.parseLong(ran.get(0).split(" ")[2]);
    // Due at 100 ms; the timer set for the 3 s one must not hold it back (1.5 s: a margin for a loaded machine).
    assertTrue(after >= 100 && after < 1_500, ran.toString());
  }

  private <T> T on(Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result.join();
  }
}
