package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.tracing.Span;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's way to a mall's token. In steady state a request costs no store round trip: the record is served
 * from process memory, which every instance keeps coherent through {@link TokenUpdates} (the cache TTL is only the
 * backstop for a lost announcement).
 *
 * <p>Timing, with Korea-time {@code expires_at}: more than {@code refreshBefore} left → use it; less → use it and
 * refresh in the background; expired → wait for the refresh, up to {@code refreshWait}. A refresh that fails
 * transiently leaves a still-valid token in use, and is not retried in the background for {@code COOL_DOWN}.
 * Cafe24's 401s start at most one refresh per mall per {@code tokens.minRefreshInterval} ({@link
 * UnauthorizedRefreshes}). Thread-safe.
 *
 * <p>Traces: given the request's span, a lookup is its child {@code token.lookup} ({@code mallgate.token.cache}
 * {@code hit} or {@code miss}; a store read it starts is {@code token.store.read}, one it joins an event), and a
 * refresh it starts or waits for is a child of the lookup ({@link TokenRefresher}). On a cache hit with tracing off,
 * nothing but a call on {@link Span#NONE} is added.
 */
public final class TokenService {

  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
  private static final long COOL_DOWN_MILLIS = 10_000;
  private static final String LOOKUP = "token.lookup";

  private final TokenStore store;
  private final TokenRefresher refresher;
  private final TokenUpdates updates;
  private final InstallHints hints;
  private final Clock clock;
  private final long cacheTtlNanos;
  private final long refreshBeforeMillis;
  private final long refreshWaitMillis;
  private final UnauthorizedRefreshes unauthorized;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> coolDownUntil = new ConcurrentHashMap<>();
  /** Store reads in flight, by mall: a burst that misses the cache costs one read, not one per request. */
  private final ConcurrentHashMap<String, Future<TokenRecord>> reading = new ConcurrentHashMap<>();

  /** @param minRefreshInterval at most one 401-driven refresh per mall this often ({@code tokens.minRefreshInterval}) */
  public TokenService(TokenStore store, TokenRefresher refresher, TokenUpdates updates, InstallHints hints,
      Clock clock, Duration cacheTtl, Duration refreshBefore, Duration refreshWait, Duration minRefreshInterval) {
    this.store = store;
    this.refresher = refresher;
    this.updates = updates;
    this.hints = hints;
    this.clock = clock;
    this.cacheTtlNanos = cacheTtl.toNanos();
    this.refreshBeforeMillis = refreshBefore.toMillis();
    this.refreshWaitMillis = refreshWait.toMillis();
    this.unauthorized = new UnauthorizedRefreshes(clock, minRefreshInterval);
    updates.subscribe(new TokenUpdates.Listener() {
      @Override
      public void changed(String mall, long version) {
        // The read first: one that started before the change may return the older record, so the next miss starts
        // anew; a read that filled the cache just before this (see read) is then dropped with the older entries.
        reading.remove(mall);
        cache.computeIfPresent(mall, (key, cached) -> cached.record.version() < version ? null : cached);
      }

      @Override
      public void missed() {
        cache.clear();
      }
    });
  }

  /**
   * The record whose access token a request should use now, refreshing as needed.
   *
   * @return the record; fails with {@code mall_not_authorized}, {@code mall_reauthorization_required},
   *         {@code token_refresh_unavailable}, {@code token_refresh_failed} or {@code token_store_unavailable}
   */
  public Future<TokenRecord> forRequest(String mall) {
    return forRequest(mall, Span.NONE);
  }

  /** As {@link #forRequest(String)}, traced as a child of {@code parent} (the request's span). */
  public Future<TokenRecord> forRequest(String mall, Span parent) {
    Cached cached = cache.get(mall);
    if (cached != null && System.nanoTime() - cached.loadedAt < cacheTtlNanos && clock.millis() < cached.refreshAt) {
      if (parent.recording()) {
        parent.child(LOOKUP).set(Span.MALL, mall).set(Span.TOKEN_CACHE, "hit").end();
      }
      return cached.future; // the hot path: no allocation, no I/O
    }
    Span lookup = parent.child(LOOKUP).set(Span.MALL, mall);
    Future<TokenRecord> found = current(mall, lookup).compose(record -> decide(mall, record, lookup));
    return lookup.recording() ? found.andThen(lookup::end) : found;
  }

  /**
   * After Cafe24 answered 401 naming {@code used}'s access token: a newer token if another request or instance stored
   * one, else a refresh of this one (joined with any running refresh) — at most one such refresh per mall per
   * {@code tokens.minRefreshInterval}.
   *
   * @return the record to replay with, or {@code null} when no newer token is known and no refresh may start now
   *         (the 401 then goes back to the caller as is); fails like {@link #forRequest}
   */
  public Future<TokenRecord> afterUnauthorized(String mall, TokenRecord used) {
    return afterUnauthorized(mall, used, Span.NONE);
  }

  /** As {@link #afterUnauthorized(String, TokenRecord)}; a refresh it starts is a child of {@code parent}. */
  public Future<TokenRecord> afterUnauthorized(String mall, TokenRecord used, Span parent) {
    Cached cached = cache.get(mall);
    if (cached != null && cached.record.version() > used.version() && !cached.record.reauthorizationRequired()) {
      return cached.future;
    }
    Future<TokenRecord> refresh = unauthorized.after(mall, used.version(),
        () -> refresher.refresh(mall, used.version(), parent));
    if (refresh != null) {
      return waitFor(mall, refresh);
    }
    // No refresh now; a newer token someone stored still helps (a read, usually from the cache).
    return current(mall).map(record -> record != null && record.version() > used.version()
        && !record.reauthorizationRequired() ? record : null);
  }

  /** The mall's stored record as this instance knows it (cache, else store), or {@code null}. No refresh. */
  public Future<TokenRecord> current(String mall) {
    return current(mall, Span.NONE);
  }

  private Future<TokenRecord> current(String mall, Span lookup) {
    Cached cached = cache.get(mall);
    if (cached != null && System.nanoTime() - cached.loadedAt < cacheTtlNanos) {
      lookup.set(Span.TOKEN_CACHE, "hit");
      return cached.future;
    }
    lookup.set(Span.TOKEN_CACHE, "miss");
    return read(mall, lookup);
  }

  /** One store read per mall at a time; requests that miss the cache meanwhile join it. */
  private Future<TokenRecord> read(String mall, Span lookup) {
    Future<TokenRecord> inFlight = reading.get(mall);
    if (inFlight != null) {
      lookup.event("joined a store read in flight");
      return inFlight;
    }
    Promise<TokenRecord> read = Promise.promise();
    inFlight = reading.putIfAbsent(mall, read.future());
    if (inFlight != null) {
      lookup.event("joined a store read in flight");
      return inFlight;
    }
    Span reads = lookup.child("token.store.read");
    store.get(mall).onComplete(outcome -> {
      reads.end(outcome);
      // The cache is filled before the read stops being in flight, in one step: a miss on another event loop in
      // between would otherwise find neither and read again. A read an announcement superseded (see changed) still
      // answers its waiters, but must not fill the cache with what may be the older record.
      reading.computeIfPresent(mall, (key, inFlightNow) -> {
        if (inFlightNow != read.future()) {
          return inFlightNow;
        }
        if (outcome.succeeded()) {
          remember(mall, outcome.result());
        }
        return null;
      });
      if (outcome.succeeded()) {
        read.complete(outcome.result());
      } else {
        read.fail(outcome.cause());
      }
    });
    return read.future();
  }

  /**
   * Forces a refresh through the same protocol (an operator's). On a marked mall the mark is cleared first and one
   * refresh tried: a mark set by mistake (a misread refusal, a client fault) is undone without the merchant, and it
   * comes back only if Cafe24 refuses the refresh token again. Not held back by a refused client's backoff.
   */
  public Future<TokenRecord> forceRefresh(String mall) {
    return store.get(mall)
        .compose(record -> record != null && record.reauthorizationRequired() ? unmark(mall, record)
            : Future.succeededFuture(record))
        .compose(record -> record == null
            ? Future.failedFuture(hints.notAuthorized(mall))
            : waitFor(mall, refresher.refreshNow(mall, record.version())));
  }

  private Future<TokenRecord> unmark(String mall, TokenRecord marked) {
    LOG.warn("mall {}: an operator's refresh clears its mark ({}) and tries the refresh token once", mall,
        marked.reauthorization().reason());
    return clearReauthorization(mall);
  }

  /** Stores a token response for a mall, replacing whatever was there (install, import; clears a mark). */
  public Future<TokenRecord> install(String mall, TokenResponse tokens) {
    return store.put(mall, tokens)
        .map(record -> remember(mall, record))
        .compose(record -> updates.publish(mall, record.version()).map(published -> record));
  }

  /** Clears a re-authorization mark without new tokens (an operator who knows better). */
  public Future<TokenRecord> clearReauthorization(String mall) {
    return store.clearReauthorization(mall)
        .map(record -> remember(mall, record))
        .compose(record -> record == null ? Future.succeededFuture(null)
            : updates.publish(mall, record.version()).map(published -> record));
  }

  /**
   * Sets a re-authorization mark by hand (an operator who knows the grant is gone): no refresh is attempted and
   * callers get {@code mall_reauthorization_required} until an install, an import or a clear. Every instance drops
   * its cached copy. A refresh that moves the version meanwhile is read again, a few times.
   *
   * @return the marked record, or {@code null} when no token is stored for the mall
   */
  public Future<TokenRecord> markReauthorizationRequired(String mall, TokenRecord.Reauthorization mark) {
    return mark(mall, mark, 3);
  }

  private Future<TokenRecord> mark(String mall, TokenRecord.Reauthorization mark, int attempts) {
    return store.get(mall).compose(record -> record == null ? Future.succeededFuture(null)
        : store.markReauthorizationRequired(mall, record.version(), mark).compose(marked -> {
          if (marked != null) {
            remember(mall, marked);
            return updates.publish(mall, marked.version()).map(published -> marked);
          }
          return attempts > 1 ? mark(mall, mark, attempts - 1)
              : Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
                  "the mall's tokens kept changing while marking it; try again", Map.of("Retry-After", "1")));
        }));
  }

  /** Forgets a mall here, in the store, and on every instance. Completes with whether the store had a record. */
  public Future<Boolean> forget(String mall) {
    cache.remove(mall);
    reading.remove(mall);
    return store.delete(mall)
        .compose(deleted -> updates.publish(mall, Long.MAX_VALUE).map(published -> deleted));
  }

  private Future<TokenRecord> decide(String mall, TokenRecord record, Span lookup) {
    if (record == null) {
      return Future.failedFuture(hints.notAuthorized(mall));
    }
    if (record.reauthorizationRequired()) {
      return Future.failedFuture(hints.reauthorizationRequired(mall, record.reauthorization()));
    }
    long now = clock.millis();
    long expiresAt = record.tokens().expiresAt().toEpochMilli();
    if (now < expiresAt - refreshBeforeMillis) {
      return Future.succeededFuture(record);
    }
    if (now < expiresAt) {
      refreshInBackground(mall, record, now, lookup);
      return Future.succeededFuture(record);
    }
    return waitFor(mall, refresher.refresh(mall, record.version(), lookup));
  }

  private void refreshInBackground(String mall, TokenRecord record, long now, Span lookup) {
    Long until = coolDownUntil.get(mall);
    if (until != null && now < until) {
      return;
    }
    lookup.event("refresh started in the background");
    refresher.refresh(mall, record.version(), lookup)
        .onSuccess(refreshed -> {
          coolDownUntil.remove(mall);
          remember(mall, refreshed);
        })
        .onFailure(failure -> {
          coolDownUntil.put(mall, clock.millis() + COOL_DOWN_MILLIS);
          LOG.debug("background refresh of mall {} failed; the current token stays in use while valid", mall);
        });
  }

  private Future<TokenRecord> waitFor(String mall, Future<TokenRecord> refresh) {
    return refresh
        .timeout(refreshWaitMillis, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.failedFuture(failure instanceof TimeoutException
            ? new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
                "the token refresh did not finish within tokens.refreshWait; try again shortly",
                Map.of("Retry-After", "1"))
            : failure))
        .compose(record -> {
          remember(mall, record);
          if (record == null) {
            return Future.failedFuture(hints.notAuthorized(mall));
          }
          // Someone else's run may have ended in a mark: that is the answer, not a token to use.
          return record.reauthorizationRequired()
              ? Future.failedFuture(hints.reauthorizationRequired(mall, record.reauthorization()))
              : Future.succeededFuture(record);
        });
  }

  private TokenRecord remember(String mall, TokenRecord record) {
    if (record == null) {
      cache.remove(mall);
      return null;
    }
    long refreshAt = record.reauthorizationRequired() ? Long.MIN_VALUE
        : record.tokens().expiresAt().toEpochMilli() - refreshBeforeMillis;
    // A slow read racing an announcement must not replace a newer cached version; past its TTL the cached entry
    // yields anyway (a forgotten and reinstalled mall starts its versions again).
    long now = System.nanoTime();
    cache.merge(mall, new Cached(record, Future.succeededFuture(record), now, refreshAt),
        (old, fresh) -> old.record.version() > fresh.record.version() && now - old.loadedAt < cacheTtlNanos
            ? old : fresh);
    return record;
  }

  /** A cached record; {@code future} is its completed Future, so a cache hit allocates nothing. */
  private record Cached(TokenRecord record, Future<TokenRecord> future, long loadedAt, long refreshAt) {
  }
}
