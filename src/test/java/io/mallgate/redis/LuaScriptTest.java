package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LuaScriptTest {

  /** Generous: the first command of a cold JVM can take a while, and the deadline is not what is tested here. */
  private static final java.time.Duration SCRIPT_DEADLINE = java.time.Duration.ofSeconds(5);

  private static final LuaScript ECHO = LuaScript.load("test-echo");

  @Test
  void should_compute_the_digest_redis_computes_when_loaded(Vertx vertx, VertxTestContext ctx) throws IOException {
    String source = Files.readString(Path.of("src/main/resources/redis/token-cas.lua"));
    RedisCommands commands = new RedisCommands(RedisClientFactory.create(vertx, RedisTestSupport.config("standalone",
        RedisServer.shared().url(), java.util.List.of(), null)), SCRIPT_DEADLINE);
    commands.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).eventually(commands::close)
        .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
          assertEquals(sha.toString(), LuaScript.load("token-cas").sha1());
          ctx.completeNow();
        })));
  }

  @Test
  void should_run_from_source_and_cache_when_the_server_does_not_know_the_script(Vertx vertx,
      VertxTestContext ctx) {
    RedisCommands commands = new RedisCommands(RedisClientFactory.create(vertx, RedisTestSupport.config("standalone",
        RedisServer.shared().url(), java.util.List.of(), null)), SCRIPT_DEADLINE);
    // SCRIPT FLUSH is what a restart or a fresh Cluster node looks like to the client.
    commands.send(Request.cmd(Command.SCRIPT).arg("FLUSH"))
        .compose(flushed -> commands.eval(ECHO, List.of("mallgate-test:key"), List.of("hello")))
        .compose(echoed -> commands.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(ECHO.sha1()))
            .map(exists -> List.of(echoed.get(0).toString(), echoed.get(1).toString(), exists.get(0).toString())))
        .eventually(commands::close)
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(List.of("mallgate-test:key", "hello", "1"), result);
          ctx.completeNow();
        })));
  }

  @Test
  void should_refuse_to_load_when_the_resource_is_missing() {
    assertThrows(IllegalStateException.class, () -> LuaScript.load("no-such-script"));
  }
}
