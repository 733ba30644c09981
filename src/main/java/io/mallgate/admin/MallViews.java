package io.mallgate.admin;

import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.resilience.RateState;
import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.token.InstallHints;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;

/**
 * Builds a mall's whole admin view: {@link MallStatusView}'s token status, plus the circuit and the rate state as
 * this instance sees them. Shared by the single-mall routes and the listing, so both show the same thing.
 */
final class MallViews {

  private final TokenStore store;
  private final RefreshLock lock;
  private final Clock clock;
  private final InstallHints hints;
  private final MallBreakers breakers;
  private final RateLimiter rateLimiter;

  MallViews(TokenStore store, RefreshLock lock, Clock clock, InstallHints hints, MallBreakers breakers,
      RateLimiter rateLimiter) {
    this.store = store;
    this.lock = lock;
    this.clock = clock;
    this.hints = hints;
    this.breakers = breakers;
    this.rateLimiter = rateLimiter;
  }

  /** The mall's view from the store's current record. */
  Future<JsonObject> of(String mall) {
    return store.get(mall).compose(record -> of(mall, record));
  }

  /** The mall's view of {@code record} (null: no token stored). Fails only when the record cannot be read. */
  Future<JsonObject> of(String mall, TokenRecord record) {
    // Neither the lock holder nor the rate state is worth failing the whole view for.
    Future<String> holder = lock.holder(mall).otherwise((String) null);
    return holder.compose(lockHolder -> rateLimiter.state(mall).otherwise((RateState) null)
        .map(rate -> MallStatusView.of(mall, record, clock.instant(), hints.installUrl(mall), lockHolder)
            .put("circuit", MallStatusView.circuit(breakers.status(mall)))
            .put("rate", rate(rate, clock.instant()))));
  }

  /**
   * The rate limiter's view: whether it shapes calls, whether the bucket is shared ({@code cluster}) or this
   * instance's, the level out of the capacity, Cafe24's pause, and the requests waiting here.
   */
  static JsonObject rate(RateState state, Instant now) {
    if (state == null) {
      return null;
    }
    long paused = state.pausedForMillis();
    return new JsonObject()
        .put("enabled", state.enabled())
        .put("scope", state.scope())
        .put("capacity", state.capacity())
        .put("level", Math.round(state.level() * 1000) / 1000.0)
        .put("paused_for_ms", paused)
        .put("paused_until", paused > 0 ? Cafe24Time.iso(now.plusMillis(paused)) : null)
        .put("queued_here", state.queued());
  }
}
