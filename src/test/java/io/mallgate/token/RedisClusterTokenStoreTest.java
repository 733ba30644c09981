package io.mallgate.token;

import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.testsupport.RedisCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contracts against a Redis Cluster of three masters: every script keeps to one slot because a
 * mall's keys carry the mall as a hash tag, and the mall index (another slot) is only touched by plain commands.
 * Skipped when {@code redis-server}/{@code redis-cli} are not installed.
 */
class RedisClusterTokenStoreTest extends TokenStoreLifecycleContract {

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.shared();
  }

  @Override
  protected Future<RedisTokenStore> openStore(Vertx vertx, TokenCodec codec) {
    RedisCommands commands = new RedisCommands(RedisClientFactory.create(vertx, cluster.config()),
        cluster.config().commandTimeout());
    return Future.succeededFuture(new RedisTokenStore(commands, codec));
  }
}
