package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The contract with sealed tokens, plus what is particular to Redis: the hash at rest, restarts, outages. */
class RedisTokenStoreTest extends TokenStoreLifecycleContract {

  private static final Duration DEADLINE = Duration.ofMillis(500);
  private static RedisServer dedicated;

  @Override
  protected Future<RedisTokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return Future.succeededFuture(new RedisTokenStore(commands(vertx, RedisServer.shared().url()), codec));
  }

  @AfterAll
  static void closeDedicatedServer() {
    if (dedicated != null) {
      dedicated.close();
    }
  }

  @Test
  void should_keep_the_record_when_the_client_closes_and_a_new_store_connects(VertxTestContext ctx) {
    String mall = mall("restart");
    RedisTokenStore first = new RedisTokenStore(commands(vertx, RedisServer.shared().url()), codec());
    Future<List<TokenRecord>> records = first.put(mall, tokens(mall, "kept"))
        .compose(written -> first.close().map(written))
        .compose(written -> {
          RedisTokenStore second = new RedisTokenStore(commands(vertx, RedisServer.shared().url()), codec());
          return second.get(mall).eventually(second::close).map(read -> List.of(written, read));
        });
    expect(ctx, records, list -> assertEquals(list.get(0), list.get(1)));
  }

  @Test
  void should_fail_as_unopenable_without_showing_content_when_stored_data_is_corrupt(VertxTestContext ctx) {
    String mall = mall("corrupt");
    RedisCommands raw = commands(vertx, RedisServer.shared().url());
    Request broken = Request.cmd(Command.HSET).arg(RedisKeys.token(mall))
        .arg("v").arg(1).arg("data").arg("{\"access_token\":\"" + CANARY).arg("updated").arg(1);
    LogCapture logs = LogCapture.capture();
    Future<TokenRecord> read = raw.send(broken).eventually(raw::close).compose(written -> store.get(mall))
        .andThen(done -> logs.close());
    read.onComplete(ctx.failing(cause -> ctx.verify(() -> {
      assertCannotOpen(mall, cause);
      assertEquals(List.of(), logs.linesContaining(CANARY));
      ctx.completeNow();
    })));
  }

  @Test
  void should_hold_no_token_in_the_redis_hash_when_tokens_are_sealed(VertxTestContext ctx) {
    String mall = mall("at-rest");
    RedisCommands raw = commands(vertx, RedisServer.shared().url());
    Future<Map<String, String>> hash = store.put(mall, tokens(mall, "rest"))
        .compose(put -> store.compareAndSet(mall, put.version(), tokens(mall, "rest-2")))
        .compose(swapped -> store.markReauthorizationRequired(mall, swapped.version(), DEAD))
        .compose(marked -> store.recordRefresh(mall, REFRESHED))
        .compose(noted -> rawHash(raw, RedisKeys.token(mall)))
        .eventually(raw::close);
    expect(ctx, hash, fields -> {
      assertEquals(Set.of("v", "data", "updated", "reauth", "refresh"), fields.keySet());
      assertEquals("3", fields.get("v"));
      assertTrue(fields.get("data").startsWith("mg1.keyA."), "sealed under the primary key");
      assertEquals(new JsonObject().put("reason", DEAD.reason()).put("detail", DEAD.detail())
          .put("at", DEAD.at().toString()), new JsonObject(fields.get("reauth")));
      fields.values().forEach(value -> assertFalse(value.contains(CANARY), "a token at rest: " + value));
    });
  }

  @Test
  void should_fail_within_the_deadline_and_recover_when_redis_stops_and_starts(VertxTestContext ctx) {
    dedicated = RedisServer.dedicated();
    RedisTokenStore outage = new RedisTokenStore(commands(vertx, dedicated.url()), codec());
    String mall = mall("outage");
    long[] startedAt = new long[1];
    Future<TokenRecord> whileDown = outage.put(mall, tokens(mall, "before"))
        .compose(put -> vertx.executeBlocking(() -> {
          dedicated.stop();
          return null;
        }))
        .compose(stopped -> {
          startedAt[0] = System.nanoTime();
          return outage.get(mall);
        });
    whileDown.onComplete(ctx.failing(cause -> ctx.verify(() -> {
      Duration took = Duration.ofNanos(System.nanoTime() - startedAt[0]);
      GatewayFailure failure = assertInstanceOf(GatewayFailure.class, cause);
      assertEquals(ErrorCode.TOKEN_STORE_UNAVAILABLE, failure.code());
      assertTrue(took.compareTo(DEADLINE.plusMillis(500)) < 0, "failed after " + took);
      restartAndWrite(ctx, outage, mall);
    })));
  }

  // A restarted server is empty (no persistence in tests), so the mall starts again at version 1.
  private void restartAndWrite(VertxTestContext ctx, RedisTokenStore outage, String mall) {
    Future<TokenRecord> afterRestart = vertx.executeBlocking(() -> {
      dedicated.start();
      return null;
    }).compose(started -> outage.put(mall, tokens(mall, "after")))
        .eventually(outage::close);
    expect(ctx, afterRestart, record -> assertEquals(1, record.version()));
  }

  /** The raw hash, through HKEYS and HVALS (whose order matches on an unchanged hash) in any protocol version. */
  private static Future<Map<String, String>> rawHash(RedisCommands raw, String key) {
    return raw.send(Request.cmd(Command.HKEYS).arg(key))
        .compose(keys -> raw.send(Request.cmd(Command.HVALS).arg(key)).map(values -> {
          Map<String, String> fields = new HashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            fields.put(keys.get(i).toString(), values.get(i).toString());
          }
          return fields;
        }));
  }

  static RedisCommands commands(Vertx vertx, String url) {
    GatewayConfig.Redis cfg = new GatewayConfig.Redis("standalone", Secret.of(url), List.of(), null, DEADLINE, 4);
    return new RedisCommands(RedisClientFactory.create(vertx, cfg), DEADLINE);
  }
}
