package io.mallgate.oauth;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link StateNonces} in process memory, for the embedded (single-instance) mode. Bounded: past {@value #MAX_USED}
 * nonces, the oldest is forgotten. Forgetting one only lets its state be presented again, which still needs a fresh
 * single-use authorization code from Cafe24 for the very mall the state names; refusing instead would let anyone who
 * can start installs lock real ones out. Thread-safe (a short lock: operations are tiny).
 */
public final class MemoryStateNonces implements StateNonces {

  static final int MAX_USED = 100_000;
  private final Map<String, Long> used = new LinkedHashMap<>();

  @Override
  public synchronized Future<Boolean> claim(String nonce, Duration ttl) {
    long now = System.nanoTime();
    Iterator<Long> oldestFirst = used.values().iterator();
    while (oldestFirst.hasNext()) {
      long expiresAt = oldestFirst.next();
      if (now - expiresAt <= 0 && used.size() < MAX_USED) {
        break;
      }
      oldestFirst.remove();
    }
    Long before = used.get(nonce);
    if (before != null && now - before <= 0) {
      return Future.succeededFuture(false);
    }
    used.put(nonce, now + ttl.toNanos());
    return Future.succeededFuture(true);
  }

  synchronized int size() {
    return used.size();
  }
}
