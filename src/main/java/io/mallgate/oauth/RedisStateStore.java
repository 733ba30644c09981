package io.mallgate.oauth;

import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;

/** {@link StateStore} on Redis: {@code SET … PX} to remember, {@code GETDEL} to take exactly once. */
public final class RedisStateStore implements StateStore {

  private final RedisCommands redis;

  public RedisStateStore(RedisCommands redis) {
    this.redis = redis;
  }

  @Override
  public Future<Void> put(String state, String mall, Duration ttl) {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.oauthState(state)).arg(mall)
        .arg("PX").arg(ttl.toMillis())).mapEmpty();
  }

  @Override
  public Future<String> take(String state) {
    return redis.send(Request.cmd(Command.GETDEL).arg(RedisKeys.oauthState(state)))
        .map(response -> response == null ? null : response.toString());
  }
}
