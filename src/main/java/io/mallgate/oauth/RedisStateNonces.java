package io.mallgate.oauth;

import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.token.StoreUnavailable;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;

/** {@link StateNonces} on Redis: {@code SET … NX PX}, so exactly one claim of a nonce succeeds on any instance. */
public final class RedisStateNonces implements StateNonces {

  private final RedisCommands redis;

  public RedisStateNonces(RedisCommands redis) {
    // Install nonces live beside the tokens: an unavailable Redis is the token store being down for the callback.
    this.redis = redis.failingAs(StoreUnavailable::tokenStore);
  }

  @Override
  public Future<Boolean> claim(String nonce, Duration ttl) {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.oauthStateNonce(nonce)).arg("1")
            .arg("NX").arg("PX").arg(Math.max(1, ttl.toMillis())))
        .map(reply -> reply != null);
  }
}
