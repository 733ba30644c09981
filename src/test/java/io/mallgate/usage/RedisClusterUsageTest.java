package io.mallgate.usage;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.testsupport.RedisCluster;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared counts on a Redis Cluster of three masters: the read script takes a mall's 60 minute keys at once,
 * which works only because they share the mall's hash tag (one slot). Skipped without {@code redis-server}.
 */
@Timeout(120)
class RedisClusterUsageTest {

  @Test
  void should_read_a_malls_whole_window_in_one_script_when_redis_is_a_cluster() {
    RedisCluster cluster = RedisCluster.shared();
    Vertx vertx = Vertx.vertx();
    try {
      RedisCommands commands = new RedisCommands(RedisClientFactory.create(vertx, cluster.config()),
          cluster.config().commandTimeout());
      RedisUsage usage = new RedisUsage(commands);
      String mall = "usage-cluster-" + System.nanoTime() % 1_000_000_000;
      long minute = 29_000_000;

      result(usage.write(mall, new MinuteCounts(minute - 59, Map.of("orders", new AppCounts(1, 2, 1)))));
      result(usage.write(mall, new MinuteCounts(minute, Map.of("orders", new AppCounts(3, 3, 0)))));

      assertEquals(Map.of("orders", new AppCounts(4, 5, 1)), result(usage.read(mall, minute - 59, minute)));
      result(commands.close());
    } finally {
      result(vertx.close());
    }
  }
}
