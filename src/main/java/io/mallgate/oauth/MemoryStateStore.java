package io.mallgate.oauth;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link StateStore} in process memory, for the embedded (single-instance) mode. A restart forgets pending installs,
 * which only means a merchant in the middle of one starts again. Bounded, so a flood of install requests cannot
 * exhaust the heap. Thread-safe.
 */
public final class MemoryStateStore implements StateStore {

  static final int MAX_PENDING = 10_000;
  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

  @Override
  public Future<Void> put(String state, String mall, Duration ttl) {
    if (pending.size() >= MAX_PENDING) {
      long now = System.nanoTime();
      pending.values().removeIf(p -> p.expired(now));
      if (pending.size() >= MAX_PENDING) {
        return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE,
            "too many installs pending; try again in a few minutes"));
      }
    }
    pending.put(state, new Pending(mall, System.nanoTime() + ttl.toNanos()));
    return Future.succeededFuture();
  }

  @Override
  public Future<String> take(String state) {
    Pending taken = pending.remove(state);
    return Future.succeededFuture(taken == null || taken.expired(System.nanoTime()) ? null : taken.mall);
  }

  private record Pending(String mall, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos > 0;
    }
  }
}
