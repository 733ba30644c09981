package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh lock on Redis: {@code SET lock owner NX PX lease} with a random owner per acquisition, renewed and
 * released only by its owner (compare-and-pexpire and compare-and-delete scripts), so a holder whose lease ran out
 * can never extend or delete its successor's lock. While another instance holds the lock, acquisition polls with a
 * jittered backoff (25 ms growing to 250 ms) until the wait runs out. Thread-safe.
 */
public final class RedisRefreshLock implements RefreshLock {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRefreshLock.class);
  private static final LuaScript RENEW = LuaScript.load("lock-renew");
  private static final LuaScript RELEASE = LuaScript.load("lock-release");
  private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final RedisCommands redis;
  private final long leaseMillis;
  private final Set<RedisLease> held = ConcurrentHashMap.newKeySet();

  public RedisRefreshLock(Vertx vertx, RedisCommands redis, Duration lease) {
    this.vertx = vertx;
    this.redis = redis.failingAs(StoreUnavailable::tokenStore);
    this.leaseMillis = lease.toMillis();
  }

  @Override
  public Future<Lease> acquire(String mall, Duration wait) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    String owner = PROCESS + "/" + HexFormat.of().formatHex(random);
    Promise<Lease> acquired = Promise.promise();
    attempt(mall, owner, System.nanoTime() + wait.toNanos(), 25, acquired);
    return acquired.future();
  }

  @Override
  public Future<String> holder(String mall) {
    return redis.send(Request.cmd(Command.GET).arg(RedisKeys.lock(mall))).map(owner -> {
      if (owner == null) {
        return null;
      }
      String text = owner.toString();
      int slash = text.lastIndexOf('/');
      return slash < 0 ? text : text.substring(0, slash);
    });
  }

  @Override
  public Future<Integer> releaseHeld() {
    List<RedisLease> leases = List.copyOf(held);
    if (!leases.isEmpty()) {
      LOG.warn("releasing {} refresh lock(s) still held at shutdown", leases.size());
    }
    return Future.join(leases.stream().map(RedisLease::release).toList()).map(all -> leases.size())
        .otherwise(leases.size());
  }

  private void attempt(String mall, String owner, long deadline, long backoffMillis, Promise<Lease> acquired) {
    redis.send(Request.cmd(Command.SET).arg(RedisKeys.lock(mall)).arg(owner).arg("NX").arg("PX").arg(leaseMillis))
        .onFailure(acquired::tryFail)
        .onSuccess(reply -> {
          if (reply != null) {
            RedisLease lease = new RedisLease(mall, owner);
            held.add(lease);
            if (!acquired.tryComplete(lease)) {
              lease.release();
            }
            return;
          }
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            acquired.tryFail(new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
                "another gateway instance is refreshing this mall's token; try again shortly",
                java.util.Map.of("Retry-After", "1")));
            return;
          }
          long pause = Math.min(left, backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
          vertx.setTimer(Math.max(1, pause),
              t -> attempt(mall, owner, deadline, Math.min(250, backoffMillis * 2), acquired));
        });
  }

  private final class RedisLease implements Lease {

    private final String mall;
    private final String owner;

    RedisLease(String mall, String owner) {
      this.mall = mall;
      this.owner = owner;
    }

    @Override
    public Future<Void> renew() {
      return redis.eval(RENEW, List.of(RedisKeys.lock(mall)), List.of(owner, Long.toString(leaseMillis)))
          .compose(renewed -> renewed != null && renewed.toInteger() == 1
              ? Future.succeededFuture()
              : Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
                  "the refresh lock was lost before the token could be redeemed")));
    }

    @Override
    public Future<Void> release() {
      held.remove(this);
      return redis.eval(RELEASE, List.of(RedisKeys.lock(mall)), List.of(owner))
          .<Void>mapEmpty()
          .otherwise(failure -> {
            // Expires with its lease; nothing else to do.
            LOG.warn("could not release the refresh lock of mall {}: it will expire with its lease", mall);
            return null;
          });
    }
  }
}
