package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.limit;
import static io.mallgate.resilience.RateTestSupport.millisSince;
import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.resilience.RateTestSupport.pass;
import static io.mallgate.resilience.RateTestSupport.rateLimited;
import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RealTime;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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

/** What Cafe24's answers do to the shared model, and what a Redis outage does to the limiter. */
@Timeout(60)
@Slow
@RealTime
class RedisRateLimiterTest {

  private static final GatewayConfig.RateLimit CAFE24 = limit(40, 2, Duration.ofSeconds(10), 200);
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

  private static long pauseLeft(String mall) {
    return result(redis.send(Request.cmd(Command.PTTL).arg(RedisKeys.pause(mall)))).toLong();
  }

  private static int grantsWithoutWaiting(RateLimiter limiter, String mall) {
    int granted = 0;
    while (true) {
      long start = System.nanoTime();
      result(limiter.acquire(mall));
      if (millisSince(start) > 100) {
        return granted;
      }
      granted++;
    }
  }

  @Test
  void should_pause_the_mall_on_every_instance_when_cafe24_answers_429() {
    String mall = newMall("r429");
    RedisRateLimiter one = new RedisRateLimiter(vertx, CAFE24, redis);
    RedisRateLimiter two = new RedisRateLimiter(vertx, CAFE24, redis);
    long observed = System.nanoTime();
    one.observe(mall, 429, MultiMap.caseInsensitiveMultiMap());
    await("the pause stored").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> pauseLeft(mall) > 0);
    long left = pauseLeft(mall);
    result(two.acquire(mall));
    long waited = millisSince(observed);
    // Bounds a loaded machine cannot break: the pause Redis holds is at most 1 s, and instance two's slot came no
    // sooner than 1 s after the 429 (a little less for the clocks' granularity).
    assertTrue(left <= 1000, "a bare 429 pauses 1 s, not longer; " + left + " ms left");
    assertTrue(waited >= 950, "a bare 429 pauses 1 s everywhere; served " + waited + " ms after it");
  }

  @Test
  void should_pause_for_the_reported_seconds_when_cafe24_sends_call_remain() {
    String mall = newMall("remain");
    new RedisRateLimiter(vertx, CAFE24, redis).observe(mall, 200,
        MultiMap.caseInsensitiveMultiMap().add("X-Cafe24-Call-Usage", "100").add("X-Cafe24-Call-Remain", "3"));
    await("the pause stored").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> pauseLeft(mall) > 0);
    long left = pauseLeft(mall);
    assertTrue(left > 2500 && left <= 3000, "paused " + left + " ms");
    RateLimiter impatient = new RedisRateLimiter(vertx, limit(40, 2, Duration.ofSeconds(2), 200), redis);
    long retryAfter = RateTestSupport.retryAfter(rateLimited(impatient.acquire(mall)));
    assertTrue(retryAfter == 3 || retryAfter == 4, "3 s and the safety margin, rounded up: " + retryAfter);
  }

  @Test
  void should_never_shorten_a_pause_when_a_shorter_one_is_reported_later() {
    String mall = newMall("longer");
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, CAFE24, redis);
    limiter.observe(mall, 200, MultiMap.caseInsensitiveMultiMap().add("X-Cafe24-Time-Remain", "5"));
    await("the pause stored").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> pauseLeft(mall) > 0);
    limiter.observe(mall, 429, MultiMap.caseInsensitiveMultiMap());
    limiter.observe(mall, 200, MultiMap.caseInsensitiveMultiMap().add("X-Api-Call-Limit", "1/40"));
    pass(vertx, 100); // the later observations are fire-and-forget: give them time to land
    assertTrue(pauseLeft(mall) > 4000, "still the 5 s pause: " + pauseLeft(mall));
  }

  @Test
  void should_raise_the_model_when_cafe24_counts_more_calls_than_it() {
    String mall = newMall("raise");
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, CAFE24, redis);
    limiter.observe(mall, 200, MultiMap.caseInsensitiveMultiMap().add("X-Api-Call-Limit", "38/40"));
    await("the model stored").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> result(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.rate(mall)))).toInteger() == 1);
    assertEquals(2, grantsWithoutWaiting(limiter, mall), "38 of 40 in use: two calls left");
  }

  @Test
  void should_never_lower_the_model_below_what_was_granted_when_cafe24_counts_fewer() {
    String mall = newMall("lower");
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, limit(10, 2, Duration.ofSeconds(10), 200), redis);
    for (int i = 0; i < 8; i++) {
      result(limiter.acquire(mall));
    }
    limiter.observe(mall, 200, MultiMap.caseInsensitiveMultiMap().add("X-Api-Call-Limit", "1/10"));
    pass(vertx, 50);
    assertEquals(2, grantsWithoutWaiting(limiter, mall), "8 of 10 granted: two left, whatever an old answer says");
  }

  @Test
  void should_fall_back_to_a_local_model_and_warn_once_when_redis_is_unreachable() {
    RedisCommands nowhere = RateTestSupport.commands(vertx, "redis://127.0.0.1:1");
    try (LogCapture logs = LogCapture.capture()) {
      // maxWait: not zero, for even the pacing's 1 ms between two local decisions would refuse the next.
      RedisRateLimiter limiter = new RedisRateLimiter(vertx, limit(3, 1, Duration.ofMillis(100), 200), nowhere);
      List<Future<Void>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(limiter.acquire("outage"));
      }
      result(Future.join(calls).otherwiseEmpty());
      assertEquals(3, calls.stream().filter(Future::succeeded).count(), "the local model still limits");
      calls.stream().filter(Future::failed).forEach(RateTestSupport::rateLimited);
      assertTrue(limiter.degraded());
      assertEquals(1, logs.lines().stream().filter(l -> l.contains("unavailable to the rate limiter")).count());
    } finally {
      result(nowhere.close());
    }
  }

  @Test
  void should_share_the_budget_again_when_redis_comes_back() {
    try (RedisServer dedicated = RedisServer.dedicated()) {
      RedisCommands commands = RateTestSupport.commands(vertx, dedicated.url());
      RedisRateLimiter limiter = new RedisRateLimiter(vertx, CAFE24, commands);
      String mall = newMall("back");
      result(limiter.acquire(mall));
      dedicated.stop();
      result(limiter.acquire(mall));
      assertTrue(limiter.degraded(), "decided locally while Redis is down");
      dedicated.start();
      pass(vertx, RedisRateLimiter.PROBE_EVERY_MILLIS + 100);
      await("back on Redis").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
        result(limiter.acquire(mall)); // decided locally; a due probe goes to Redis meanwhile
        return !limiter.degraded();
      });
      result(limiter.acquire(mall));
      assertEquals(1, result(commands.send(Request.cmd(Command.EXISTS).arg(RedisKeys.rate(mall)))).toInteger());
      result(commands.close());
    }
  }

  @Test
  void should_pace_by_the_new_max_per_second_at_the_next_decision_when_the_section_is_reloaded() {
    String mall = newMall("reload-pace");
    Live<GatewayConfig.RateLimit> section = Live.of(CAFE24);
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, section, redis);
    result(limiter.acquire(mall));
    result(limiter.acquire(mall)); // the shipped tests' pace: no wait worth measuring

    section.set(RateTestSupport.paced(40, 2, Duration.ofSeconds(10), 200, 2, 0)); // 2 a second: 550 ms apart
    result(limiter.acquire(mall)); // the pace the last grant set was the old one
    long start = System.nanoTime();
    result(limiter.acquire(mall));

    long waited = millisSince(start);
    assertTrue(waited >= 500 && waited < 1_000, "paced 550 ms apart after the reload: " + waited + " ms");
  }

  @Test
  void should_pick_the_limiter_for_the_deployment_when_created_from_config() {
    GatewayConfig.RateLimit off = new GatewayConfig.RateLimit(false, 40, 2, Duration.ofSeconds(10), 200, 9, 0);
    assertSame(RateLimiter.unlimited().getClass(), RateLimiters.create(vertx, off, redis).getClass());
    assertTrue(RateLimiters.create(vertx, CAFE24, redis) instanceof RedisRateLimiter);
    assertTrue(RateLimiters.create(vertx, CAFE24, null) instanceof LocalRateLimiter);
    assertFalse(new RedisRateLimiter(vertx, CAFE24, redis).degraded());
  }
}
