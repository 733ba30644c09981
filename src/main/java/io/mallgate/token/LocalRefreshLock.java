package io.mallgate.token;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The refresh lock of the embedded (single-instance) mode. {@link TokenRefresher} already joins every refresh of a
 * mall in this process into one, and the embedded store serves exactly one process, so there is nobody else to
 * exclude: every acquisition succeeds at once.
 */
public final class LocalRefreshLock implements RefreshLock {

  private static final Lease LEASE = new Lease() {
    @Override
    public Future<Void> renew() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release() {
      return Future.succeededFuture();
    }
  };

  @Override
  public Future<Lease> acquire(String mall, Duration wait) {
    return Future.succeededFuture(LEASE);
  }

  @Override
  public Future<String> holder(String mall) {
    return Future.succeededFuture(null);
  }

  @Override
  public Future<Integer> releaseHeld() {
    return Future.succeededFuture(0);
  }
}
