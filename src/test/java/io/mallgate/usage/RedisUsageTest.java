package io.mallgate.usage;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared counts in a real Redis: each instance's own fields, the larger count kept, every instance summed. */
@Timeout(30)
class RedisUsageTest {

  static Vertx vertx;
  static RedisCommands commands;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    commands = commands(RedisServer.shared().url());
  }

  @AfterAll
  static void stop() {
    result(commands.close());
    result(vertx.close());
  }

  private static RedisCommands commands(String url) {
    return new RedisCommands(RedisClientFactory.create(vertx, new GatewayConfig.Redis("standalone", Secret.of(url),
        List.of(), null, Duration.ofSeconds(2), 4)), Duration.ofSeconds(2));
  }

  private static String mall() {
    return "usage-redis-" + System.nanoTime() % 1_000_000_000;
  }

  @Test
  void should_keep_the_larger_counts_when_a_write_is_repeated_or_overtaken() {
    String mall = mall();
    RedisUsage one = new RedisUsage(commands);
    long minute = 29_000_000;

    result(one.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(3, 4, 1)))));
    result(one.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(3, 4, 1)))));
    result(one.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(2, 2, 0))))); // an older copy

    assertEquals(Map.of("orders", new AppCounts(3, 4, 1)), result(one.read(mall, minute - 59, minute)));
    long ttl = result(commands.send(Request.cmd(Command.TTL).arg(RedisKeys.appUsage(mall, minute)))).toLong();
    assertTrue(ttl > 3600 && ttl <= RedisUsage.TTL_SECONDS, "a little over the hour: " + ttl);
  }

  @Test
  void should_sum_every_instance_and_minute_of_the_window_when_read() {
    String mall = mall();
    RedisUsage one = new RedisUsage(commands);
    RedisUsage two = new RedisUsage(commands);
    long minute = 29_000_000;

    result(one.write(mall, new MinuteCounts(minute - 60, Map.of("orders", new AppCounts(100, 100, 0)))));
    result(one.write(mall, new MinuteCounts(minute - 59, Map.of("orders", new AppCounts(1, 1, 0)))));
    result(one.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(2, 3, 1), "-",
        new AppCounts(1, 1, 0)))));
    result(two.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(4, 4, 0)))));

    assertEquals(Map.of("orders", new AppCounts(7, 8, 1), "-", new AppCounts(1, 1, 0)),
        result(one.read(mall, minute - 59, minute)), "the minute before the window is left out");
  }

  @Test
  void should_fail_as_usage_unavailable_when_redis_does_not_answer() {
    RedisCommands nowhere = commands("redis://127.0.0.1:" + TestConfig.freePort());
    try {
      Throwable failure = result(new RedisUsage(nowhere).read("shop", 1, 2)
          .transform(outcome -> Future.succeededFuture(outcome.cause())));
      assertInstanceOf(UsageUnavailable.class, failure);
    } finally {
      nowhere.close();
    }
  }
}
