package io.mallgate.keepalive;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through one Redis lock, {@link RedisKeys#keepAliveLeader()}: {@code SET key owner NX PX lease} with a
 * random owner per instance, renewed by its owner every third of the lease (compare-and-pexpire) and given up by
 * compare-and-delete, the same scripts as the refresh lock, so an instance whose lease ran out can never extend or
 * delete its successor's lock. A follower tries to take the lock at the same pace, so a dead leader is replaced within
 * about one lease.
 *
 * <p>{@link #leading()} is true only until the lease of the last successful acquisition or renewal, counted from when
 * that command was sent (less a tenth for clock drift): a leader cut off from Redis stops leading on its own before
 * anybody else can start. Confined to the context that called {@link #start}.
 */
public final class RedisLeadership implements Leadership {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLeadership.class);
  private static final LuaScript RENEW = LuaScript.load("lock-renew");
  private static final LuaScript RELEASE = LuaScript.load("lock-release");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final RedisCommands redis;
  private final long leaseMillis;
  private final String owner;
  private Runnable elected = () -> { };
  private long timer = -1;
  private boolean held;
  private boolean busy;
  private boolean stopped;
  private volatile long validUntilNanos;

  public RedisLeadership(Vertx vertx, RedisCommands redis, Duration lease) {
    this.vertx = vertx;
    this.redis = redis;
    this.leaseMillis = lease.toMillis();
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + HexFormat.of().formatHex(random);
  }

  @Override
  public void start(Runnable onElected) {
    this.elected = onElected;
    tick();
    timer = vertx.setPeriodic(Math.max(1, leaseMillis / 3), t -> tick());
  }

  @Override
  public boolean leading() {
    return held && System.nanoTime() - validUntilNanos < 0;
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (!held) {
      return Future.succeededFuture();
    }
    held = false;
    validUntilNanos = System.nanoTime();
    return redis.eval(RELEASE, List.of(RedisKeys.keepAliveLeader()), List.of(owner)).<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** One acquisition or renewal at a time: a slow Redis must not pile commands up behind each other. */
  private void tick() {
    if (stopped || busy) {
      return;
    }
    busy = true;
    long sentAt = System.nanoTime();
    Future<Boolean> attempt = held ? renew() : acquire();
    attempt.onComplete(outcome -> {
      busy = false;
      if (!stopped) {
        settle(outcome.succeeded() ? outcome.result() : null, sentAt);
      } else if (outcome.succeeded() && outcome.result()) {
        // Won just as the gateway stopped: hand the lock back rather than make the others wait out the lease.
        redis.eval(RELEASE, List.of(RedisKeys.keepAliveLeader()), List.of(owner))
            .onFailure(failure -> LOG.debug("keep-alive lead not released; it expires with its lease"));
      }
    });
  }

  /** {@code ours}: whether the lock is ours now; {@code null} when Redis did not say (the lease then runs down). */
  private void settle(Boolean ours, long sentAt) {
    boolean wasHeld = held;
    if (Boolean.TRUE.equals(ours)) {
      held = true;
      validUntilNanos = sentAt + (leaseMillis - leaseMillis / 10) * 1_000_000;
      if (!wasHeld) {
        LOG.info("this instance now leads the keep-alive");
        elected.run();
      }
    } else if (Boolean.FALSE.equals(ours) && wasHeld) {
      held = false;
      LOG.warn("this instance lost the keep-alive lead (its lease ran out); another instance takes over");
    }
  }

  private Future<Boolean> acquire() {
    return redis.send(Request.cmd(Command.SET).arg(RedisKeys.keepAliveLeader()).arg(owner).arg("NX").arg("PX")
        .arg(leaseMillis)).map(reply -> reply != null);
  }

  private Future<Boolean> renew() {
    return redis.eval(RENEW, List.of(RedisKeys.keepAliveLeader()), List.of(owner, Long.toString(leaseMillis)))
        .map(RedisLeadership::isOne);
  }

  private static boolean isOne(Response reply) {
    return reply != null && reply.toInteger() == 1;
  }
}
