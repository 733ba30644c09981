package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.limit;
import static io.mallgate.resilience.RateTestSupport.millisSince;
import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.resilience.RateTestSupport.rateLimited;
import static io.mallgate.resilience.RateTestSupport.retryAfter;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisCommands;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RealTime;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-mall waiting room of one instance, in front of the shared Redis bucket. */
@Timeout(60)
@Slow
@RealTime
class MallQueuesTest {

  private static Vertx vertx;
  private static RedisCommands redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = RateTestSupport.commands(vertx, RedisServer.shared().url());
  }

  @AfterAll
  static void stop() {
    result(redis.close());
    result(vertx.close());
  }

  private static RateLimiter limiter(GatewayConfig.RateLimit cfg) {
    return new RedisRateLimiter(vertx, cfg, redis);
  }

  private static List<Future<Void>> fire(RateLimiter limiter, String mall, int count) {
    List<Future<Void>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(limiter.acquire(mall));
    }
    return calls;
  }

  /**
   * For each of {@code first}, once it completes: whether every one of {@code later} was still pending then. "At
   * once" as an ordering (before a call that had to wait for a slot was served), not as a number of milliseconds
   * that a loaded machine can exceed.
   */
  private static List<Boolean> whilePending(List<Future<Void>> first, List<Future<Void>> later) {
    List<Boolean> pending = Collections.synchronizedList(new ArrayList<>());
    first.forEach(call -> call.onComplete(done -> pending.add(later.stream().noneMatch(Future::isComplete))));
    return pending;
  }

  @Test
  void should_grant_in_arrival_order_when_requests_wait_for_slots() {
    RateLimiter limiter = limiter(limit(1, 20, Duration.ofSeconds(5), 100));
    String mall = newMall("fifo");
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> calls = fire(limiter, mall, 10);
    for (int i = 0; i < calls.size(); i++) {
      int arrival = i;
      calls.get(i).onSuccess(slot -> order.add(arrival));
    }
    result(Future.all(calls));
    assertEquals(IntStream.range(0, 10).boxed().toList(), order);
  }

  @Test
  void should_refuse_at_once_with_retry_after_when_the_wait_would_pass_max_wait() {
    // Two calls at once, then one per second; at most 2 s of waiting.
    RateLimiter limiter = limiter(limit(2, 1, Duration.ofSeconds(2), 100));
    String mall = newMall("maxwait");
    long start = System.nanoTime();
    List<Future<Void>> calls = fire(limiter, mall, 6);
    List<Boolean> refusedWhileTheThirdWaited = whilePending(calls.subList(3, 6), calls.subList(2, 3));
    for (Future<Void> refused : calls.subList(3, 6)) {
      GatewayFailure failure = rateLimited(refused);
      // The third call holds the next slot (1 s and the margin away); a new request would queue behind it.
      assertTrue(retryAfter(failure) >= 2 && retryAfter(failure) <= 3, "Retry-After " + retryAfter(failure));
    }
    result(Future.all(calls.subList(0, 3)));
    assertEquals(List.of(true, true, true), refusedWhileTheThirdWaited, "refused at once, not after waiting");
    // A lower bound only: a loaded machine may serve it later, but never sooner than the bucket allows.
    long waited = millisSince(start);
    assertTrue(waited >= 950 + RateBudget.SAFETY_MARGIN_MILLIS,
        "the third waited one drain interval and the margin: " + waited + " ms");
  }

  @Test
  void should_refuse_at_once_when_the_malls_queue_is_full() {
    RateLimiter limiter = limiter(limit(1, 1, Duration.ofSeconds(30), 2));
    String mall = newMall("full");
    result(limiter.acquire(mall)); // the bucket (capacity 1) is now full
    List<Future<Void>> waiting = fire(limiter, mall, 2);
    Future<Void> refused = limiter.acquire(mall);
    List<Boolean> refusedWhileTheyWaited = whilePending(List.of(refused), waiting);
    rateLimited(refused);
    assertEquals(List.of(true), refusedWhileTheyWaited, "refused at once, before the waiting calls were served");
    result(Future.all(waiting));
  }

  @Test
  void should_serve_another_mall_at_once_when_one_mall_is_saturated() {
    RateLimiter limiter = limiter(limit(2, 1, Duration.ofSeconds(10), 100));
    String busy = newMall("busy");
    List<Future<Void>> queued = fire(limiter, busy, 8);
    result(Future.all(queued.subList(0, 2)));
    Future<Void> calm = limiter.acquire(newMall("calm"));
    List<Boolean> servedWhileTheBusyWaited = whilePending(List.of(calm), queued.subList(2, queued.size()));
    result(calm);
    assertEquals(List.of(true), servedWhileTheBusyWaited,
        "the calm mall served at once, while the busy mall's requests still wait");
  }

  @Test
  void should_share_the_slots_between_instances_when_both_have_requests_waiting() {
    String mall = newMall("fair");
    RedisCommands otherClient = RateTestSupport.commands(vertx, RedisServer.shared().url());
    try {
      GatewayConfig.RateLimit cfg = limit(1, 40, Duration.ofSeconds(30), 100);
      // 20 each: every wait for a slot carries the safety margin, so the 40 take ~10 s, not the drain's 1 s.
      List<Future<Void>> one = fire(new RedisRateLimiter(vertx, cfg, redis), mall, 20);
      List<Future<Void>> two = fire(new RedisRateLimiter(vertx, cfg, otherClient), mall, 20);
      List<Future<Void>> all = new ArrayList<>(one);
      all.addAll(two);
      List<Integer> winners = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < all.size(); i++) {
        int instance = i < one.size() ? 1 : 2;
        all.get(i).onSuccess(slot -> winners.add(instance));
      }
      result(Future.all(all));
      List<Integer> paced = winners.subList(2, 22); // 20 slots while both queues were full
      long firstInstance = paced.stream().filter(instance -> instance == 1).count();
      System.out.println("[rate-limit fairness] slots won while both waited: instance 1 " + firstInstance
          + ", instance 2 " + (paced.size() - firstInstance));
      assertTrue(firstInstance >= 4 && firstInstance <= 16, "slots of 20 won by instance 1: " + firstInstance);
    } finally {
      result(otherClient.close());
    }
  }

  @Test
  void should_keep_those_the_pacing_serves_within_max_wait_and_refuse_the_rest_at_once_when_paced() {
    // Cafe24's bucket with room for all, paced at 9 a second: one at once, the next after the margin (250 ms) and
    // one pace interval (122 ms), then one per 122 ms: 15 calls fit into 2 s.
    RateLimiter limiter = new LocalRateLimiter(vertx, RateTestSupport.paced(40, 2, Duration.ofSeconds(2), 100, 9, 0));
    String mall = newMall("paced-queue");
    long start = System.nanoTime();
    List<Future<Void>> calls = fire(limiter, mall, 40);
    List<Long> refusedAfter = Collections.synchronizedList(new ArrayList<>());
    calls.forEach(call -> call.onFailure(failure -> refusedAfter.add(millisSince(start))));
    result(Future.join(calls).otherwiseEmpty());
    long granted = calls.stream().filter(Future::succeeded).count();
    System.out.printf("[pacing] 40 at once, paced 9/s, maxWait 2 s: %d granted within %d ms%n", granted,
        millisSince(start));
    assertTrue(granted >= 14 && granted <= 16, "the pacing's 15 within 2 s, not the drain's 4: " + granted);
    calls.stream().filter(Future::failed).forEach(failure -> {
      long retryAfter = retryAfter(rateLimited(failure));
      // Refused on arrival: behind the 14 still waiting, ~2.1 s. Refused on a later look (late timers): behind
      // fewer, so less, but never 0.
      assertTrue(retryAfter >= 1 && retryAfter <= 4, "behind those still waiting, up to ~2.1 s: " + retryAfter);
    });
    assertEquals(40 - granted, refusedAfter.size());
    // Most at once; a loaded machine's late timers may make the queue refuse a few more on a later look, but never
    // one that already waited out maxWait (2 s): that is the bound that holds however slow the machine is.
    assertTrue(refusedAfter.stream().allMatch(millis -> millis < 2000), "refused before maxWait: " + refusedAfter);
  }

  @Test
  void should_pace_the_queue_with_the_same_semantics_when_the_limiter_is_local() {
    RateLimiter limiter = new LocalRateLimiter(vertx, limit(3, 10, Duration.ofSeconds(1), 100));
    String mall = newMall("local");
    List<Future<Void>> calls = fire(limiter, mall, 20);
    result(Future.join(calls).otherwiseEmpty());
    long granted = calls.stream().filter(Future::succeeded).count();
    // 3 at once, then one per 100 ms after the 250 ms margin, for up to 1 s of waiting: 7 more.
    assertTrue(granted >= 9 && granted <= 11, "granted " + granted);
    calls.stream().filter(Future::failed).forEach(RateTestSupport::rateLimited);
  }
}
