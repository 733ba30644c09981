package io.mallgate.oauth;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link StateStore} in process memory, for the embedded (single-instance) mode. A restart forgets pending installs,
 * which only means a merchant in the middle of one starts again. Bounded: when {@value #MAX_PENDING} installs are
 * pending, the oldest is forgotten, so a flood of install requests can neither exhaust the heap nor lock installs
 * out for the state's whole life. Thread-safe (a short lock: states are few and operations tiny).
 */
public final class MemoryStateStore implements StateStore {

  static final int MAX_PENDING = 10_000;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  @Override
  public synchronized Future<Void> put(String state, String mall, Duration ttl) {
    long now = System.nanoTime();
    Iterator<Pending> oldestFirst = pending.values().iterator();
    while (oldestFirst.hasNext()) {
      Pending oldest = oldestFirst.next();
      if (!oldest.expired(now) && pending.size() < MAX_PENDING) {
        break;
      }
      oldestFirst.remove();
    }
    pending.put(state, new Pending(mall, now + ttl.toNanos()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> take(String state) {
    Pending taken = pending.remove(state);
    return Future.succeededFuture(taken == null || taken.expired(System.nanoTime()) ? null : taken.mall);
  }

  synchronized int size() {
    return pending.size();
  }

  private record Pending(String mall, long expiresAtNanos) {
    boolean expired(long now) {
      return now - expiresAtNanos > 0;
    }
  }
}
