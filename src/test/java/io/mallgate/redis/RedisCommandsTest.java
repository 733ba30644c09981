package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RedisCommandsTest {

  @Test
  void should_fail_as_unavailable_at_the_deadline_when_the_server_never_answers(Vertx vertx, VertxTestContext ctx) {
    // A TCP server that accepts and stays silent: what a hung or overloaded Redis looks like to the client.
    NetServer silent = vertx.createNetServer().connectHandler(socket -> socket.pause());
    long[] sentAt = new long[1];
    silent.listen(0, "127.0.0.1").compose(server -> {
      RedisCommands commands = RedisTestSupport.commands(vertx, "redis://127.0.0.1:" + server.actualPort());
      sentAt[0] = System.nanoTime();
      return commands.send(Request.cmd(Command.GET).arg("k")).eventually(commands::close);
    }).onComplete(ctx.failing(cause -> ctx.verify(() -> {
      Duration took = Duration.ofNanos(System.nanoTime() - sentAt[0]);
      assertUnavailable(cause);
      assertTrue(took.compareTo(RedisTestSupport.DEADLINE) >= 0, "gave up early: " + took);
      assertTrue(took.compareTo(RedisTestSupport.DEADLINE.plusMillis(750)) < 0, "gave up late: " + took);
      ctx.completeNow();
    })));
  }

  @Test
  void should_fail_as_unavailable_when_the_connection_is_refused(Vertx vertx, VertxTestContext ctx) {
    NetServer probe = vertx.createNetServer().connectHandler(socket -> socket.close());
    Future<Integer> closedPort = probe.listen(0, "127.0.0.1")
        .compose(server -> server.close().map(server.actualPort()));
    closedPort.compose(port -> {
      RedisCommands commands = RedisTestSupport.commands(vertx, "redis://127.0.0.1:" + port);
      return commands.send(Request.cmd(Command.PING)).eventually(commands::close);
    }).onComplete(ctx.failing(cause -> ctx.verify(() -> {
      assertUnavailable(cause);
      ctx.completeNow();
    })));
  }

  @Test
  void should_fail_as_unavailable_when_redis_replies_with_an_error(Vertx vertx, VertxTestContext ctx) {
    RedisCommands commands = RedisTestSupport.commands(vertx, RedisServer.shared().url());
    String key = "mallgate-test:" + UUID.randomUUID();
    commands.send(Request.cmd(Command.SET).arg(key).arg("plain"))
        .compose(set -> commands.send(Request.cmd(Command.HGET).arg(key).arg("field")))
        .eventually(() -> commands.send(Request.cmd(Command.DEL).arg(key)))
        .eventually(commands::close)
        .onComplete(ctx.failing(cause -> ctx.verify(() -> {
          assertUnavailable(cause);
          ctx.completeNow();
        })));
  }

  @Test
  void should_let_the_reply_code_through_when_sent_raw(Vertx vertx, VertxTestContext ctx) {
    RedisCommands commands = RedisTestSupport.commands(vertx, RedisServer.shared().url());
    commands.sendRaw(Request.cmd(Command.EVALSHA).arg("0000000000000000000000000000000000000000").arg(0))
        .eventually(commands::close)
        .onComplete(ctx.failing(cause -> ctx.verify(() -> {
          assertEquals("NOSCRIPT", assertInstanceOf(RedisReplyError.class, cause).code());
          ctx.completeNow();
        })));
  }

  @Test
  void should_fail_with_the_callers_meaning_when_unavailable_through_a_view(Vertx vertx, VertxTestContext ctx) {
    RedisCommands commands = RedisTestSupport.commands(vertx, "redis://127.0.0.1:" + TestConfig.freePort())
        .failingAs(unavailable -> new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE, "webhooks down"));
    commands.send(Request.cmd(Command.PING))
        .eventually(commands::close)
        .onComplete(ctx.failing(cause -> ctx.verify(() -> {
          assertEquals(ErrorCode.WEBHOOK_STORE_UNAVAILABLE, assertInstanceOf(GatewayFailure.class, cause).code());
          ctx.completeNow();
        })));
  }

  /** Neutral: Redis plumbing does not know what its being down means to a feature. */
  static void assertUnavailable(Throwable cause) {
    assertEquals("redis unavailable", assertInstanceOf(RedisUnavailable.class, cause).getMessage());
  }
}
