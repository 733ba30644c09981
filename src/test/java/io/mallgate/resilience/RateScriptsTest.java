package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.limit;
import static io.mallgate.resilience.RateTestSupport.maxInAnySecond;
import static io.mallgate.resilience.RateTestSupport.paced;
import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.resilience.RateTestSupport.pass;
import static io.mallgate.resilience.RateTestSupport.rateLimited;
import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.testsupport.RedisCluster;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RealTime;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import io.mallgate.config.GatewayConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code rate-acquire.lua} against a real Redis: the shared bucket that every instance asks. */
@Timeout(60)
@Slow
@RealTime
class RateScriptsTest {

  private static final LuaScript ACQUIRE = LuaScript.load("rate-acquire");
  private static Vertx vertx;
  private static RedisCommands redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = RateTestSupport.commands(vertx, RedisServer.shared().url());
    warm(redis);
  }

  /**
   * Connects a client before a test leans on its deadline: a first command that meets a cold JVM and a new connection
   * can outlast the 500 ms deadline, and would send a limiter to its local model.
   */
  private static RedisCommands warm(RedisCommands commands) {
    result(commands.send(Request.cmd(Command.PING)));
    return commands;
  }

  @AfterAll
  static void stop() {
    result(redis.close());
    result(vertx.close());
  }

  private static final long MARGIN = RateBudget.SAFETY_MARGIN_MILLIS;

  /** One decision with the gateway's margin: 0 for a grant, else the wait in ms. */
  private static long acquire(RedisCommands commands, String mall, int capacity, double perSecond) {
    return acquire(commands, mall, capacity, perSecond, MARGIN);
  }

  private static long acquire(RedisCommands commands, String mall, int capacity, double perSecond, long margin) {
    return decide(commands, mall, capacity, perSecond, margin, 0, 0).get(0).toLong();
  }

  /**
   * The script's whole reply, {@code [wait, room]}, with a pace interval of {@code paceMillis} (0: none) and a pace
   * margin for a busy period's second call.
   */
  private static Response decide(RedisCommands commands, String mall, int capacity, double perSecond, long margin,
      double paceMillis, long paceMargin) {
    return result(commands.eval(ACQUIRE, List.of(RedisKeys.rate(mall), RedisKeys.pause(mall)),
        List.of(Double.toString(1000 / perSecond), Integer.toString(capacity), Long.toString(margin),
            Double.toString(paceMillis), Long.toString(paceMargin))));
  }

  /** One paced decision without a pace margin: 0 for a grant, else the wait in ms. */
  private static long pacedWait(String mall, int capacity, double perSecond, double paceMillis) {
    return decide(redis, mall, capacity, perSecond, MARGIN, paceMillis, 0).get(0).toLong();
  }

  /** Grants in a row, without the margin: the plain leaky bucket. */
  private static int grantsInARow(String mall, int capacity, double perSecond) {
    int granted = 0;
    while (acquire(redis, mall, capacity, perSecond, 0) == 0) {
      granted++;
    }
    return granted;
  }

  @Test
  void should_grant_capacity_calls_at_once_and_ask_the_next_to_wait_one_drain_interval_when_the_bucket_fills() {
    String mall = newMall("fill");
    for (int i = 0; i < 40; i++) {
      assertEquals(0, acquire(redis, mall, 40, 2), "call " + (i + 1) + " of the first 40");
    }
    long wait = acquire(redis, mall, 40, 2);
    // One drain interval (500 ms) plus the margin, less what passed while the 40 were granted.
    assertTrue(wait > 400 + MARGIN && wait <= 500 + MARGIN, "wait " + wait);
    // A recorded refusal would add a whole drain interval (500 ms); the tolerance only absorbs a slow machine.
    assertEquals(wait, acquire(redis, mall, 40, 2), 100, "a refusal records nothing");
    pass(vertx, wait);
    assertEquals(0, acquire(redis, mall, 40, 2));
    long next = acquire(redis, mall, 40, 2);
    assertTrue(next > 450 && next <= 500, "the busy period's next call: one interval later: " + next);
  }

  @Test
  void should_grant_again_as_the_bucket_drains_when_time_passes() {
    String mall = newMall("drain");
    assertEquals(5, grantsInARow(mall, 5, 10)); // 5 calls, draining one per 100 ms
    pass(vertx, 350);
    assertEquals(3, grantsInARow(mall, 5, 10), "3.5 calls drained in 350 ms: 3 whole slots");
    long wait = acquire(redis, mall, 5, 10, 0);
    pass(vertx, wait);
    assertEquals(0, acquire(redis, mall, 5, 10, 0), "granted once the wait it was given is over");
  }

  @Test
  void should_forget_the_bucket_when_it_has_drained_empty() {
    String mall = newMall("expire");
    assertEquals(3, grantsInARow(mall, 3, 20));
    long ttl = result(redis.send(Request.cmd(Command.PTTL).arg(RedisKeys.rate(mall)))).toLong();
    assertTrue(ttl > 100 && ttl <= 150, "three calls drain in 150 ms: " + ttl);
    pass(vertx, ttl + 10);
    assertEquals(0, result(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.rate(mall)))).toInteger());
  }

  @Test
  void should_hold_every_caller_until_the_pause_expires_when_the_mall_is_paused() {
    String mall = newMall("paused");
    result(redis.send(Request.cmd(Command.SET).arg(RedisKeys.pause(mall)).arg("1").arg("PX").arg(2000)));
    long wait = acquire(redis, mall, 40, 2);
    assertTrue(wait > 1900 && wait <= 2000, "an empty bucket, but paused: " + wait);
    RedisCommands other = RateTestSupport.commands(vertx, RedisServer.shared().url());
    try {
      assertTrue(acquire(other, mall, 40, 2) > 1900, "another instance is held too");
    } finally {
      result(other.close());
    }
  }

  @Test
  void should_share_one_budget_when_two_instances_use_one_redis() {
    String mall = newMall("shared");
    // maxWait: not zero, for even the pacing's 1 ms between two decisions would refuse the next.
    RedisRateLimiter one = new RedisRateLimiter(vertx, limit(10, 2, Duration.ofMillis(100), 100), redis);
    RedisCommands otherClient = RateTestSupport.commands(vertx, RedisServer.shared().url());
    RedisRateLimiter two = new RedisRateLimiter(vertx, limit(10, 2, Duration.ofMillis(100), 100), otherClient);
    try {
      for (int i = 0; i < 6; i++) {
        result(one.acquire(mall));
      }
      List<Future<Void>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(two.acquire(mall));
      }
      result(Future.join(calls).otherwiseEmpty());
      assertEquals(4, calls.stream().filter(Future::succeeded).count(), "6 + 4 fill the bucket of 10");
      rateLimited(calls.get(4));
    } finally {
      result(otherClient.close());
    }
  }

  @Test
  void should_space_a_malls_grants_one_pace_interval_apart_when_its_bucket_has_room() {
    String mall = newMall("pace");
    double pace = RateBudget.paceInterval(9); // 122.2 ms: (1000 + slack) / 9
    assertEquals(0, pacedWait(mall, 40, 2, pace));
    long wait = pacedWait(mall, 40, 2, pace);
    assertTrue(wait > 100 && wait <= 123, "the next call waits one pace interval, not a bucket's burst: " + wait);
    pass(vertx, wait);
    assertEquals(0, pacedWait(mall, 40, 2, pace), "granted once the pace interval has passed");
  }

  @Test
  void should_send_a_busy_periods_second_call_the_pace_margin_later_when_it_has_one() {
    String mall = newMall("pace-margin");
    double pace = RateBudget.paceInterval(9);
    assertEquals(0, decide(redis, mall, 40, 2, MARGIN, pace, MARGIN).get(0).toLong());
    long second = decide(redis, mall, 40, 2, MARGIN, pace, MARGIN).get(0).toLong();
    assertTrue(second > MARGIN + 100 && second <= MARGIN + 123, "the margin and one pace interval: " + second);
    pass(vertx, second);
    assertEquals(0, decide(redis, mall, 40, 2, MARGIN, pace, MARGIN).get(0).toLong());
    long third = decide(redis, mall, 40, 2, MARGIN, pace, MARGIN).get(0).toLong();
    assertTrue(third > 100 && third <= 123, "the rest of the busy period: one pace interval: " + third);
  }

  @Test
  void should_record_nothing_in_bucket_or_pace_when_the_pacing_refuses() {
    String mall = newMall("pace-refused");
    // 3 calls that drain only after 100 s, at most one per 50 ms.
    assertEquals(0, pacedWait(mall, 3, 0.01, 50));
    long first = pacedWait(mall, 3, 0.01, 50);
    long second = pacedWait(mall, 3, 0.01, 50);
    assertTrue(first > 0 && second > 0 && second <= first, "refused calls do not push the pace: " + first + ", "
        + second);
    for (int i = 0; i < 5; i++) {
      pacedWait(mall, 3, 0.01, 50);
    }
    for (int call = 2; call <= 3; call++) {
      long wait = pacedWait(mall, 3, 0.01, 50);
      assertTrue(wait <= 50, "call " + call + " is held by the pacing alone: " + wait);
      pass(vertx, wait);
      assertEquals(0, pacedWait(mall, 3, 0.01, 50), "call " + call + ": the refusals took nothing from the bucket");
    }
    assertTrue(pacedWait(mall, 3, 0.01, 50) > 50_000, "then the bucket of 3 is full");
  }

  @Test
  void should_wait_for_the_later_of_bucket_and_pacing_when_both_refuse() {
    String slowPace = newMall("later-pace");
    String slowBucket = newMall("later-bucket");
    // A bucket of one call draining in 100 ms, from the margin on: free again in 350 ms.
    assertEquals(0, pacedWait(slowPace, 1, 10, 500));
    long pace = pacedWait(slowPace, 1, 10, 500);
    assertTrue(pace > 450 && pace <= 500, "the pacing is later: " + pace);
    assertEquals(0, pacedWait(slowBucket, 1, 10, 100));
    long bucket = pacedWait(slowBucket, 1, 10, 100);
    assertTrue(bucket > 300 && bucket <= 100 + MARGIN, "the bucket is later: " + bucket);
  }

  @Test
  void should_report_the_calls_the_bucket_still_takes_when_deciding() {
    String mall = newMall("room");
    assertEquals(39, decide(redis, mall, 40, 2, MARGIN, 100, 0).get(1).toInteger(), "after the first grant");
    Response refused = decide(redis, mall, 40, 2, MARGIN, 100, 0);
    assertTrue(refused.get(0).toLong() > 0);
    assertEquals(39, refused.get(1).toInteger(), "a refusal by the pacing leaves the room as it was");
    String full = newMall("room-full");
    assertEquals(0, decide(redis, full, 1, 2, MARGIN, 0, 0).get(1).toInteger());
    assertEquals(0, decide(redis, full, 1, 2, MARGIN, 0, 0).get(1).toInteger(), "refused by the full bucket");
  }

  @Test
  void should_never_grant_more_than_max_per_second_when_two_instances_pace_one_mall() {
    String mall = newMall("pace-shared");
    RedisCommands otherClient = warm(RateTestSupport.commands(vertx, RedisServer.shared().url()));
    try {
      // A bucket that never binds: only the pacing, 9 a second for the two together.
      GatewayConfig.RateLimit cfg = paced(1000, 2, Duration.ofSeconds(30), 100, 9, 0);
      List<Long> grants = Collections.synchronizedList(new ArrayList<>());
      List<Future<Void>> calls = new ArrayList<>();
      List<RedisRateLimiter> limiters = List.of(new RedisRateLimiter(vertx, cfg, redis),
          new RedisRateLimiter(vertx, cfg, otherClient));
      for (RedisRateLimiter limiter : limiters) {
        for (int i = 0; i < 14; i++) {
          calls.add(limiter.acquire(mall).onSuccess(slot -> grants.add(System.nanoTime())));
        }
      }
      long start = System.nanoTime();
      result(Future.all(calls));
      long took = RateTestSupport.millisSince(start);
      int most = maxInAnySecond(grants);
      System.out.printf("[pacing] 2 instances, 28 calls of one mall: %d ms, at most %d in any second%n", took, most);
      assertTrue(limiters.stream().noneMatch(RedisRateLimiter::degraded), "decided in Redis, shared");
      assertTrue(most <= 9, "at most 9 in any second: " + most);
      assertTrue(most >= 8, "paced near the cap, not starved: " + most);
    } finally {
      result(otherClient.close());
    }
  }

  @Test
  void should_never_grant_more_than_egress_per_second_when_two_instances_call_three_malls() {
    RedisCommands otherClient = warm(RateTestSupport.commands(vertx, RedisServer.shared().url()));
    try {
      GatewayConfig.RateLimit cfg = paced(1000, 2, Duration.ofSeconds(30), 100, RateTestSupport.UNPACED, 10);
      List<String> malls = List.of(newMall("egress-a"), newMall("egress-b"), newMall("egress-c"));
      List<Long> grants = Collections.synchronizedList(new ArrayList<>());
      List<Future<Void>> calls = new ArrayList<>();
      List<RedisRateLimiter> limiters = List.of(new RedisRateLimiter(vertx, cfg, redis),
          new RedisRateLimiter(vertx, cfg, otherClient));
      for (RedisRateLimiter limiter : limiters) {
        for (int i = 0; i < 4; i++) {
          for (String mall : malls) {
            calls.add(limiter.acquire(mall).onSuccess(slot -> grants.add(System.nanoTime())));
          }
        }
      }
      result(Future.all(calls));
      int most = maxInAnySecond(grants);
      System.out.printf("[pacing] egress 10/s, 2 instances, 3 malls, 24 calls: at most %d in any second%n", most);
      assertTrue(limiters.stream().noneMatch(RedisRateLimiter::degraded), "decided in Redis, shared");
      assertTrue(most <= 10, "at most 10 in any second, all malls together: " + most);
      assertTrue(most >= 8, "paced near the cap, not starved: " + most);
    } finally {
      result(otherClient.close());
    }
  }

  @Test
  void should_hand_the_deployments_slot_back_when_the_mall_then_refuses() {
    // One call a second for the whole deployment; nobody may wait.
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, paced(40, 2, Duration.ZERO, 100, 9, 1), redis);
    String paused = newMall("egress-paused");
    result(redis.send(Request.cmd(Command.SET).arg(RedisKeys.pause(paused)).arg("1").arg("PX").arg(5000)));
    // An earlier test's slot is over.
    await("the deployment's slot free").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> !result(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.egress()))).toBoolean());
    long start = System.nanoTime();
    rateLimited(limiter.acquire(paused));
    await("the deployment's slot handed back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> !result(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.egress()))).toBoolean());
    long handedBack = RateTestSupport.millisSince(start);
    assertTrue(handedBack < 600, "handed back at once, not expired after 1.1 s: " + handedBack + " ms");
    result(limiter.acquire(newMall("egress-next"))); // the slot is free again: no wait, so no refusal
  }

  @Test
  void should_name_the_rate_keys_with_the_mall_as_hash_tag_when_built() {
    assertEquals("mallgate:{shop-1}:rate", RedisKeys.rate("shop-1"));
    assertEquals("mallgate:{shop-1}:pause", RedisKeys.pause("shop-1"));
  }

  @Test
  void should_keep_a_malls_keys_in_one_slot_when_redis_is_a_cluster() {
    RedisCommands cluster = new RedisCommands(RedisClientFactory.create(vertx, RedisCluster.shared().config()),
        Duration.ofSeconds(2));
    try {
      String mall = newMall("cluster");
      assertEquals(0, acquire(cluster, mall, 2, 1));
      assertEquals(0, acquire(cluster, mall, 2, 1));
      assertTrue(acquire(cluster, mall, 2, 1) > 0);
    } finally {
      result(cluster.close());
    }
  }

  @Test
  void should_decide_in_redis_not_locally_when_the_egress_cap_is_on_a_cluster() {
    RedisCommands cluster = new RedisCommands(RedisClientFactory.create(vertx, RedisCluster.shared().config()),
        Duration.ofSeconds(2));
    try {
      // The deployment's key and the malls' keys lie in different slots: a script touching both would fail.
      RedisRateLimiter limiter = new RedisRateLimiter(vertx, paced(40, 2, Duration.ofSeconds(5), 100, 9, 50),
          cluster);
      for (int i = 0; i < 3; i++) {
        result(limiter.acquire(newMall("cluster-egress")));
      }
      assertFalse(limiter.degraded(), "a failed script would have sent the decisions to the local model");
    } finally {
      result(cluster.close());
    }
  }
}
