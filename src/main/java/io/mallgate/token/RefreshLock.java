package io.mallgate.token;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The per-mall lock under which a refresh token is redeemed: across every instance with Redis
 * ({@link RedisRefreshLock}), within the one process in embedded mode ({@link LocalRefreshLock}). Cafe24's refresh
 * tokens are single-use, so nobody may redeem one without holding this lock, not even after a wait that timed out.
 */
public interface RefreshLock {

  /**
   * Takes the mall's lock, waiting up to {@code wait} while someone else holds it.
   *
   * @return the lease; fails with {@code GatewayFailure(TOKEN_REFRESH_UNAVAILABLE)} when the wait ran out, or
   *         {@code TOKEN_STORE_UNAVAILABLE} when the lock's store cannot answer
   */
  Future<Lease> acquire(String mall, Duration wait);

  /** Who holds the mall's lock right now ({@code pid@host}), or {@code null} when nobody does. */
  Future<String> holder(String mall);

  /**
   * Releases every lock this process still holds (at shutdown, once refreshes had their time to end), so that
   * another instance need not wait out a lease. Never fails.
   *
   * @return how many were still held
   */
  Future<Integer> releaseHeld();

  /** A held lock. */
  interface Lease {

    /**
     * Extends the lease to its full length from now. Call it before each redemption: it fails (and the caller must
     * not redeem) when the lock was lost because the lease ran out.
     */
    Future<Void> renew();

    /** Releases the lock if it is still ours. Never fails: an unreleased lock expires with its lease. */
    Future<Void> release();
  }
}
