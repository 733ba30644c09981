package io.mallgate.health;

import io.mallgate.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Whether Redis answers a {@code PING} within {@code redis.commandTimeout}, sent through the gateway's own
 * {@link RedisCommands} (so the probe waits in the same queue as token reads: a gateway whose commands cannot get
 * through is not ready either).
 *
 * <p>An outcome is reused for {@link #REUSE_NANOS} (1 s), and probes arriving while a PING is in flight join it: any
 * number of probers (kubelet, load balancers, a curl loop) cost at most about one PING per second, while a stopped or
 * returned Redis still shows within a second plus one command deadline. Thread-safe.
 */
final class RedisPing {

  /** How long a PING's outcome answers later probes. */
  static final long REUSE_NANOS = 1_000_000_000L;

  private final RedisCommands commands;
  private Future<Void> last;
  private long lastStarted;

  RedisPing(RedisCommands commands) {
    this.commands = commands;
  }

  /** Succeeds when Redis answered PONG; fails (with a message safe to show) otherwise. Never throws. */
  synchronized Future<Void> reachable() {
    long now = System.nanoTime();
    if (last != null && (!last.isComplete() || now - lastStarted < REUSE_NANOS)) {
      return last;
    }
    lastStarted = now;
    last = commands.send(Request.cmd(Command.PING))
        .transform(reply -> reply.succeeded() && reply.result() != null
            && "PONG".equalsIgnoreCase(reply.result().toString())
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("redis did not answer PING in time"));
    return last;
  }
}
