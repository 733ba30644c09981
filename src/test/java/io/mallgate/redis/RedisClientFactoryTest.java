package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RedisClientFactoryTest {

  @Test
  void should_use_the_url_and_a_bounded_pool_when_standalone() {
    RedisOptions options = RedisClientFactory.options(
        RedisTestSupport.config("standalone", "redis://cache:6380/2", List.of(), null));
    assertEquals(RedisClientType.STANDALONE, options.getType());
    assertEquals(List.of("redis://cache:6380/2"), options.getEndpoints());
    assertEquals(4, options.getMaxPoolSize());
    assertEquals(4 * RedisClientFactory.POOL_WAITING_PER_CONNECTION, options.getMaxPoolWaiting());
    assertEquals(RedisClientFactory.MAX_WAITING_HANDLERS, options.getMaxWaitingHandlers());
  }

  @Test
  void should_reach_the_master_through_every_sentinel_when_type_is_sentinel() {
    RedisOptions options = RedisClientFactory.options(RedisTestSupport.config("sentinel", "redis://s1:26379",
        List.of("redis://s2:26379", "", "redis://s3:26379"), "tokens"));
    assertEquals(RedisClientType.SENTINEL, options.getType());
    assertEquals(List.of("redis://s1:26379", "redis://s2:26379", "redis://s3:26379"), options.getEndpoints());
    assertEquals("tokens", options.getMasterName());
    assertEquals(RedisRole.MASTER, options.getRole());
  }

  @Test
  void should_seed_from_every_endpoint_when_type_is_cluster() {
    RedisOptions options = RedisClientFactory.options(
        RedisTestSupport.config("Cluster", "redis://n1:7000", List.of("redis://n2:7000"), null));
    assertEquals(RedisClientType.CLUSTER, options.getType());
    assertEquals(List.of("redis://n1:7000", "redis://n2:7000"), options.getEndpoints());
  }

  @Test
  void should_refuse_when_type_is_unknown() {
    assertThrows(IllegalArgumentException.class, () -> RedisClientFactory.options(
        RedisTestSupport.config("replication", "redis://n1:7000", List.of(), null)));
  }

  @Test
  void should_answer_ping_when_created_against_a_live_server(Vertx vertx, VertxTestContext ctx) {
    RedisCommands commands = RedisTestSupport.commands(vertx, RedisServer.shared().url());
    commands.send(Request.cmd(Command.PING)).eventually(commands::close)
        .onComplete(ctx.succeeding(pong -> ctx.verify(() -> {
          assertEquals("PONG", pong.toString());
          ctx.completeNow();
        })));
  }
}
