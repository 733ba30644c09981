package io.mallgate.webhook;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** {@link LifecycleLedger} in a Redis hash per mall, shared by every instance, without expiry. */
public final class RedisLifecycleLedger implements LifecycleLedger {

  private static final LuaScript FIRST_SEEN = LuaScript.load("lifecycle-first-seen");

  private final RedisCommands commands;

  public RedisLifecycleLedger(RedisCommands commands) {
    this.commands = commands;
  }

  @Override
  public Future<Instant> firstSeen(String mall, String bodySha256, Instant seenAt) {
    return commands.eval(FIRST_SEEN, List.of(RedisKeys.lifecycle(mall)),
            List.of(bodySha256, Long.toString(seenAt.toEpochMilli()), Integer.toString(MAX_PER_MALL)))
        .map(reply -> Instant.ofEpochMilli(Long.parseLong(reply.toString())));
  }
}
