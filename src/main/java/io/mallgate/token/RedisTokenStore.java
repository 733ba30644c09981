package io.mallgate.token;

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
 * {@code data} (the tokens as the {@link TokenCodec} wrote them: sealed, or Cafe24's JSON), {@code updated} (epoch
 * millis, Redis server time, so every instance stamps with one clock), and, when present, {@code reauth} (the
 * re-authorization mark) and {@code refresh} (the last refresh attempt), both JSON as {@link StoredForm} writes them.
 * The set {@link RedisKeys#mallIndex} lists the mall ids. Every write runs as a Lua script
 * ({@code redis/token-*.lua}) on the mall's hash alone, so a check and its write are one atomic step for every
 * instance, and in a Cluster each script touches one slot.
 *
 * <p>The mall index lives in another Cluster slot than the records, so it cannot change in the same script. It is
 * kept a superset of the malls with a record: {@code put} adds to it before writing the record and {@code delete}
 * removes from it after deleting the record, so a failure half-way leaves at worst a listed mall without a record
 * (which {@link #get} answers with {@code null}), never an unlisted record the refresher would forget. The other
 * writes never create a record.
 *
 * <p>Stateless apart from the client: thread-safe. Failures are {@code GatewayFailure(TOKEN_STORE_UNAVAILABLE)}.
 */
public final class RedisTokenStore implements TokenStore {

  private static final LuaScript PUT = LuaScript.load("token-put");
  private static final LuaScript CAS = LuaScript.load("token-cas");
  private static final LuaScript MARK = LuaScript.load("token-mark");
  private static final LuaScript CLEAR = LuaScript.load("token-clear");
  private static final LuaScript RECORD_REFRESH = LuaScript.load("token-record-refresh");
  private static final LuaScript RESEAL = LuaScript.load("token-reseal");

  private final RedisCommands redis;
  private final TokenCodec codec;

  /**
   * @param redis the commands, each with its deadline
   * @param codec how tokens are written in the {@code data} field (and read back)
   */
  public RedisTokenStore(RedisCommands redis, TokenCodec codec) {
    this.redis = redis.failingAs(StoreUnavailable::tokenStore);
    this.codec = codec;
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    Request hmget = Request.cmd(Command.HMGET).arg(RedisKeys.token(mall))
        .arg("v").arg("data").arg("updated").arg("reauth").arg("refresh");
    return redis.send(hmget).map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return sealed(mall, tokens)
        .compose(data -> redis.send(Request.cmd(Command.SADD).arg(RedisKeys.mallIndex()).arg(mall))
            .compose(added -> redis.eval(PUT, List.of(RedisKeys.token(mall)), List.of(data))))
        .map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    return sealed(mall, tokens)
        .compose(data -> redis.eval(CAS, List.of(RedisKeys.token(mall)), List.of(Long.toString(expectedVersion), data)))
        .map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
      TokenRecord.Reauthorization reauthorization) {
    List<String> args = List.of(Long.toString(expectedVersion), StoredForm.toJson(reauthorization).encode());
    return redis.eval(MARK, List.of(RedisKeys.token(mall)), args).map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall) {
    return redis.eval(CLEAR, List.of(RedisKeys.token(mall)), List.of()).map(fields -> record(mall, fields));
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall, long expectedVersion) {
    return redis.eval(CLEAR, List.of(RedisKeys.token(mall)), List.of(Long.toString(expectedVersion)))
        .map(fields -> record(mall, fields));
  }

  @Override
  public Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt) {
    return redis.eval(RECORD_REFRESH, List.of(RedisKeys.token(mall)), List.of(StoredForm.toJson(attempt).encode()))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> reseal(String mall) {
    return redis.send(Request.cmd(Command.HGET).arg(RedisKeys.token(mall)).arg("data")).compose(stored -> {
      String old = stored == null ? null : stored.toString();
      if (old == null || codec.isCurrent(old)) {
        return Future.succeededFuture(false);
      }
      String renewed = StoredForm.seal(codec, mall, StoredForm.open(codec, mall, old));
      return redis.eval(RESEAL, List.of(RedisKeys.token(mall)), List.of(old, renewed))
          .map(written -> written != null && written.toLong() == 1);
    });
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

  private Future<String> sealed(String mall, TokenResponse tokens) {
    try {
      return Future.succeededFuture(StoredForm.seal(codec, mall, tokens));
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  /**
   * The record in an HMGET-shaped reply ({@code v data updated reauth refresh}), or {@code null} when there is none:
   * no {@code v} (nothing stored) or {@code v} 0 (a script that wrote nothing).
   */
  private TokenRecord record(String mall, Response fields) {
    if (fields == null || fields.size() == 0 || fields.get(0) == null) {
      return null;
    }
    long version = number(mall, fields.get(0));
    if (version == 0) {
      return null;
    }
    TokenResponse tokens = StoredForm.open(codec, mall, text(fields.get(1)));
    try {
      Instant updated = Instant.ofEpochMilli(fields.get(2).toLong());
      return new TokenRecord(mall, tokens, version, updated,
          StoredForm.reauthorization(json(fields.get(3))), StoredForm.refreshAttempt(json(fields.get(4))));
    } catch (RuntimeException unreadable) {
      // The cause is dropped on purpose: parsers quote the text they choke on.
      throw StoredForm.unreadable(mall);
    }
  }

  private static long number(String mall, Response field) {
    try {
      return field.toLong();
    } catch (RuntimeException notNumber) {
      throw StoredForm.unreadable(mall);
    }
  }

  /** A field's text, or {@code null} for an absent field (nil from HMGET, '' from the scripts). */
  private static String text(Response field) {
    String text = field == null ? null : field.toString();
    return text == null || text.isEmpty() ? null : text;
  }

  private static JsonObject json(Response field) {
    String text = text(field);
    return text == null ? null : new JsonObject(text);
  }
}
