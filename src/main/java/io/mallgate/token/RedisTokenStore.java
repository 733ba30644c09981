package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared token store: one Redis hash per mall at {@link RedisKeys#token} with the fields {@code v} (version),
 * {@code data} (Cafe24's token JSON) and {@code updated} (epoch millis, Redis server time, so every instance stamps
 * with one clock), plus the set {@link RedisKeys#mallIndex} of mall ids. Writes run as Lua scripts
 * ({@code redis/token-put.lua}, {@code redis/token-cas.lua}), so a version check and its write are one atomic step for
 * every instance.
 *
 * <p>The mall index lives in another Cluster slot than the records, so it cannot change in the same script. It is
 * kept a superset of the malls with a record: {@code put} adds to it before writing the record and {@code delete}
 * removes from it after deleting the record, so a failure half-way leaves at worst a listed mall without a record
 * (which {@link #get} answers with {@code null}), never an unlisted record the refresher would forget.
 *
 * <p>Stateless apart from the client: thread-safe. Failures are {@code GatewayFailure(TOKEN_STORE_UNAVAILABLE)}.
 */
public final class RedisTokenStore implements TokenStore {

  private static final LuaScript PUT = LuaScript.load("token-put");
  private static final LuaScript CAS = LuaScript.load("token-cas");

  private final RedisCommands redis;

  public RedisTokenStore(RedisCommands redis) {
    this.redis = redis;
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    Request hmget = Request.cmd(Command.HMGET).arg(RedisKeys.token(mall)).arg("v").arg("data").arg("updated");
    return redis.send(hmget).map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return redis.send(Request.cmd(Command.SADD).arg(RedisKeys.mallIndex()).arg(mall))
        .compose(added -> redis.eval(PUT, List.of(RedisKeys.token(mall)), List.of(tokens.toJson().encode())))
        .map(written -> written(mall, tokens, written));
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    List<String> args = List.of(Long.toString(expectedVersion), tokens.toJson().encode());
    return redis.eval(CAS, List.of(RedisKeys.token(mall)), args)
        .map(written -> written(mall, tokens, written));
  }

  @Override
  public Future<Boolean> delete(String mall) {
    return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.token(mall)))
        .compose(deleted -> redis.send(Request.cmd(Command.SREM).arg(RedisKeys.mallIndex()).arg(mall))
            .map(removed -> deleted != null && deleted.toLong() > 0));
  }

  @Override
  public Future<List<String>> malls() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.mallIndex())).map(members -> {
      List<String> malls = new ArrayList<>();
      if (members != null) {
        members.forEach(member -> malls.add(member.toString()));
      }
      malls.sort(null);
      return malls;
    });
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /** The record a write script produced, or {@code null} when it wrote nothing (version {@code 0}). */
  private static TokenRecord written(String mall, TokenResponse tokens, Response reply) {
    long version = reply == null ? 0 : reply.get(0).toLong();
    if (version == 0) {
      return null;
    }
    return new TokenRecord(mall, tokens, version, Instant.ofEpochMilli(reply.get(1).toLong()));
  }

  private static TokenRecord record(String mall, Response fields) {
    if (fields == null || fields.get(0) == null) {
      return null;
    }
    try {
      long version = fields.get(0).toLong();
      TokenResponse tokens = TokenResponse.fromJson(new JsonObject(fields.get(1).toString()));
      Instant updated = Instant.ofEpochMilli(fields.get(2).toLong());
      return new TokenRecord(mall, tokens, version, updated);
    } catch (RuntimeException unreadable) {
      // The cause is dropped on purpose: a JSON parser quotes the text it choked on, and that text holds tokens.
      throw new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
          "stored token record for mall " + mall + " is unreadable");
    }
  }
}
