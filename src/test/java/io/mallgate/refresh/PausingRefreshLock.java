package io.mallgate.refresh;

import io.mallgate.error.GatewayFailure;
import io.mallgate.token.RefreshLock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A real {@link RefreshLock} with random pauses after taking the lock, after renewing it (the worst place: between
 * the renewal and the redemption it is meant to cover) and before releasing it. It also watches the lease: when the
 * holder releases later than its last confirmed lease allows, the lease may have run out while it acted (someone
 * else may have taken the lock meanwhile), and the run is told so. The estimate errs early: the lease counts from
 * just before the granting {@code SET} or the last renewal was sent.
 */
final class PausingRefreshLock implements RefreshLock {

  private static final long MARGIN_NANOS = 5_000_000;

  private final RefreshLock delegate;
  private final Pauses pauses;
  private final RunTrace trace;
  private final String who;
  private final long leaseNanos;
  private final LongSupplier lastSetSent;

  /** @param lastSetSent when the instance last sent {@code SET} (nanoTime): the lock's, see {@link WatchedRedis} */
  PausingRefreshLock(RefreshLock delegate, Duration lease, LongSupplier lastSetSent, Pauses pauses, RunTrace trace,
      String who) {
    this.delegate = delegate;
    this.lastSetSent = lastSetSent;
    this.pauses = pauses;
    this.trace = trace;
    this.who = who;
    this.leaseNanos = lease.toNanos();
  }

  @Override
  public Future<Lease> acquire(String mall, Duration wait) {
    long asked = System.nanoTime();
    return delegate.acquire(mall, wait).transform(done -> {
      long waited = (System.nanoTime() - asked) / 1_000_000;
      if (done.failed()) {
        String why = done.cause() instanceof GatewayFailure g ? g.code().code() : done.cause().toString();
        trace.event(who, "lock not acquired after " + waited + " ms: " + why);
        trace.count("lock.not_acquired");
        return Future.failedFuture(done.cause());
      }
      trace.event(who, "lock acquired after " + waited + " ms");
      trace.count("lock.acquired");
      Lease lease = new PausingLease(done.result(), lastSetSent.getAsLong());
      return pauses.next().map(paused -> lease);
    });
  }

  @Override
  public Future<String> holder(String mall) {
    return delegate.holder(mall);
  }

  @Override
  public Future<Integer> releaseHeld() {
    return delegate.releaseHeld();
  }

  private final class PausingLease implements Lease {

    private final Lease lease;
    private volatile long heldSince;

    PausingLease(Lease lease, long heldSince) {
      this.lease = lease;
      this.heldSince = heldSince;
    }

    @Override
    public Future<Void> renew() {
      long sent = System.nanoTime();
      return lease.renew().transform(done -> {
        if (done.failed()) {
          trace.event(who, "lease LOST at renewal: " + done.cause().getMessage());
          trace.count("lease.lost_at_renewal");
          trace.uncertain("a lease ran out");
          return Future.failedFuture(done.cause());
        }
        heldSince = sent;
        trace.event(who, "lease renewed");
        return pauses.next();
      });
    }

    @Override
    public Future<Void> release() {
      long late = System.nanoTime() - (heldSince + leaseNanos - MARGIN_NANOS);
      if (late > 0) {
        trace.event(who, "releasing " + late / 1_000_000 + " ms after the lease may have run out");
        trace.count("lease.overrun");
        trace.uncertain("a lease ran out");
      }
      return pauses.next().compose(paused -> lease.release());
    }
  }
}
