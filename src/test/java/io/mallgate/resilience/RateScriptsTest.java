package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.limit;
import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.resilience.RateTestSupport.pass;
import static io.mallgate.resilience.RateTestSupport.rateLimited;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.testsupport.RedisCluster;
import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code rate-acquire.lua} against a real Redis: the shared bucket that every instance asks. */
@Timeout(60)
class RateScriptsTest {

  private static final LuaScript ACQUIRE = LuaScript.load("rate-acquire");
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

  private static final long MARGIN = RateBudget.SAFETY_MARGIN_MILLIS;

  /** One decision with the gateway's margin: 0 for a grant, else the wait in ms. */
  private static long acquire(RedisCommands commands, String mall, int capacity, double perSecond) {
    return acquire(commands, mall, capacity, perSecond, MARGIN);
  }

  private static long acquire(RedisCommands commands, String mall, int capacity, double perSecond, long margin) {
    return result(commands.eval(ACQUIRE, List.of(RedisKeys.rate(mall), RedisKeys.pause(mall)),
        List.of(Double.toString(1000 / perSecond), Integer.toString(capacity), Long.toString(margin)))).toLong();
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
    RedisRateLimiter one = new RedisRateLimiter(vertx, limit(10, 2, Duration.ZERO, 100), redis);
    RedisCommands otherClient = RateTestSupport.commands(vertx, RedisServer.shared().url());
    RedisRateLimiter two = new RedisRateLimiter(vertx, limit(10, 2, Duration.ZERO, 100), otherClient);
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
}
