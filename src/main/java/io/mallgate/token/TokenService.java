package io.mallgate.token;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's way to a mall's current token: process memory first, the {@link TokenStore} when the cached entry is
 * older than {@code cacheTtl}. In steady state a proxied request costs no store round trip.
 *
 * <p>Writes made through this service (install, import, forget) update the local cache at once; other instances see
 * them when their cached entry expires (cross-instance invalidation comes with the refresh protocol). Malls without a
 * token are not cached, so a fresh install elsewhere is seen on the next request. Thread-safe.
 */
public final class TokenService {

  private final TokenStore store;
  private final long cacheTtlNanos;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public TokenService(TokenStore store, Duration cacheTtl) {
    this.store = store;
    this.cacheTtlNanos = cacheTtl.toNanos();
  }

  /** The mall's current record, or {@code null} when no token is stored for it. */
  public Future<TokenRecord> current(String mall) {
    Cached cached = cache.get(mall);
    if (cached != null && System.nanoTime() - cached.loadedAt < cacheTtlNanos) {
      return cached.record;
    }
    return store.get(mall).map(record -> {
      remember(record, mall);
      return record;
    });
  }

  /** Stores a token response for a mall, replacing whatever was there (install, import). */
  public Future<TokenRecord> install(String mall, TokenResponse tokens) {
    return store.put(mall, tokens).map(record -> {
      remember(record, mall);
      return record;
    });
  }

  /** Forgets a mall here and in the store. Completes with whether the store had a record. */
  public Future<Boolean> forget(String mall) {
    cache.remove(mall);
    return store.delete(mall).onComplete(done -> cache.remove(mall));
  }

  private void remember(TokenRecord record, String mall) {
    if (record == null) {
      cache.remove(mall);
    } else {
      // The completed Future itself is cached: a cache hit allocates nothing.
      cache.put(mall, new Cached(Future.succeededFuture(record), System.nanoTime()));
    }
  }

  private record Cached(Future<TokenRecord> record, long loadedAt) {
  }
}
