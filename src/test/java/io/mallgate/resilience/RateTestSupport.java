package io.mallgate.resilience;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds limiters, budgets and Redis clients for the tests of this package. */
final class RateTestSupport {

  static final Duration DEADLINE = Duration.ofMillis(500);
  private static final AtomicInteger MALLS = new AtomicInteger();

  private RateTestSupport() {
  }

  /** A mall id no other test (or earlier run against the same Redis) uses. */
  static String newMall(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() % 100_000 + "-" + MALLS.incrementAndGet();
  }

  /** The bucket alone: pacing so fast that it never binds (the bucket's own tests predate it). */
  static GatewayConfig.RateLimit limit(int capacity, double perSecond, Duration maxWait, int maxQueue) {
    return paced(capacity, perSecond, maxWait, maxQueue, UNPACED, 0);
  }

  /** A pace no test's calls come near: 0.011 ms between two grants. */
  static final int UNPACED = 100_000;

  /** The bucket, at most {@code maxPerSecond} calls of a mall a second and {@code egressPerSecond} of all (0: off). */
  static GatewayConfig.RateLimit paced(int capacity, double perSecond, Duration maxWait, int maxQueue,
      int maxPerSecond, int egressPerSecond) {
    return new GatewayConfig.RateLimit(true, capacity, perSecond, maxWait, maxQueue, maxPerSecond, egressPerSecond);
  }

  static RedisCommands commands(Vertx vertx, String url) {
    GatewayConfig.Redis cfg = new GatewayConfig.Redis("standalone", Secret.of(url), List.of(), null, DEADLINE, 4);
    return new RedisCommands(RedisClientFactory.create(vertx, cfg), DEADLINE);
  }

  /** The failure of a future that must fail with {@code RATE_LIMITED}, its Retry-After checked to be whole seconds. */
  static GatewayFailure rateLimited(Future<?> future) {
    Throwable cause = result(future.<Throwable>transform(done -> Future.succeededFuture(done.cause())));
    GatewayFailure failure = assertInstanceOf(GatewayFailure.class, cause, "expected RATE_LIMITED");
    assertEquals(ErrorCode.RATE_LIMITED, failure.code());
    assertEquals(429, failure.status());
    assertTrue(retryAfter(failure) >= 1, "Retry-After: " + failure.headers());
    return failure;
  }

  static long retryAfter(GatewayFailure failure) {
    return Long.parseLong(failure.headers().get("Retry-After"));
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * The most of {@code nanos} (moments on {@link System#nanoTime}'s scale, in any order) that fall within one second:
   * over every window {@code [t, t + 1 s)} that starts at one of them.
   */
  static int maxInAnySecond(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int most = 0;
    int first = 0;
    for (int last = 0; last < sorted.length; last++) {
      while (sorted[last] - sorted[first] >= 1_000_000_000L) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  /** Lets time pass on a Vert.x timer (the bucket drains with time; nothing else waits for a result this way). */
  static void pass(Vertx vertx, long millis) {
    result(vertx.timer(millis));
  }
}
