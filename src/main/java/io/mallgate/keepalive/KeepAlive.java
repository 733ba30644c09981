package io.mallgate.keepalive;

import io.mallgate.concurrent.InTurn;
import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps idle malls alive. While this instance leads ({@link Leadership}), it scans every mall once per
 * {@code keepalive.interval} (and at once on being elected) and refreshes each mall whose refresh token expires within
 * {@code keepalive.refreshWhenLeft}: at most {@code maxConcurrent} at a time, each after a random pause of up to
 * {@code jitter}, most urgent first. Each refresh is the token package's own protocol ({@link Refresh}, the
 * {@code TokenRefresher}): under the mall's lock, and only if nobody wrote a newer version since the scan read it —
 * a refresh token is never redeemed outside that protocol.
 *
 * <p>Scans never overlap; a scan stops picking malls as soon as this instance stops leading or the gateway stops.
 * Timing reads the gateway's {@link Clock}; the scan cadence runs on Vert.x timers. Confined to the context that
 * called {@link #start}.
 */
public final class KeepAlive {

  private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

  /** The refresh protocol as the keep-alive calls it: {@code TokenRefresher::refresh}. */
  @FunctionalInterface
  public interface Refresh {
    /** Makes the mall's record newer than {@code seenVersion}; see {@code TokenRefresher#refresh}. */
    Future<TokenRecord> refresh(String mall, long seenVersion);
  }

  private final Vertx vertx;
  private final GatewayConfig.KeepAlive config;
  private final DueMalls dueMalls;
  private final Refresh refresh;
  private final Leadership leadership;
  private final Clock clock;
  private final KeepAliveListener listener;
  private final AtomicLong scans = new AtomicLong();
  private final AtomicLong refreshed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile java.time.Instant soonestExpiry;
  /** Malls marked reauthorization_required at this instance's last scan; -1 before its first. */
  private volatile int markedMalls = -1;
  private long timer = -1;
  private boolean scanning;
  private volatile boolean stopped;

  /** The thread of the context it was built on, its timers' (checked with -ea: the gateway's start and stop hop there). */
  private final Thread owner;

  public KeepAlive(Vertx vertx, GatewayConfig.KeepAlive config, TokenStore store, Refresh refresh,
      Leadership leadership, Clock clock, KeepAliveListener listener) {
    this.vertx = vertx;
    this.owner = Thread.currentThread();
    this.config = config;
    this.dueMalls = new DueMalls(store, config.refreshWhenLeft());
    this.refresh = refresh;
    this.leadership = leadership;
    this.clock = clock;
    this.listener = listener;
  }

  /** Starts competing for the lead and scanning while leading; does nothing when {@code keepalive.enabled} is off. */
  public void start() {
    assert Thread.currentThread() == owner : "keep-alive started off its context";
    if (!config.enabled()) {
      LOG.info("keep-alive off (keepalive.enabled: false): idle malls lapse 14 days after their last refresh");
      return;
    }
    leadership.start(this::scanIfLeading);
    timer = vertx.setPeriodic(config.interval().toMillis(), t -> scanIfLeading());
  }

  /**
   * Stops scanning (a scan in progress picks no further mall; refreshes already running end under the refresher's
   * own shutdown) and gives the lead up. Never fails.
   */
  public Future<Void> stop() {
    assert Thread.currentThread() == owner : "keep-alive stopped off its context";
    stopped = true;
    vertx.cancelTimer(timer);
    return config.enabled() ? leadership.stop() : Future.succeededFuture();
  }

  /** Whether this instance leads the keep-alive right now. */
  public boolean leading() {
    return config.enabled() && leadership.leading();
  }

  /** Scans this instance has started. */
  public long scans() {
    return scans.get();
  }

  /** Keep-alive refreshes that ended with a current token (this instance's, or one someone else wrote meanwhile). */
  public long refreshed() {
    return refreshed.get();
  }

  /**
   * Malls marked {@code reauthorization_required} (only a merchant can help them), as of this instance's last scan;
   * NaN on an instance that never scanned (it never led).
   */
  public double mallsNeedingReauthorization() {
    int marked = markedMalls;
    return marked < 0 ? Double.NaN : marked;
  }

  /**
   * Seconds left, now, on the refresh token that lapses first among the unmarked malls, as of this instance's last
   * scan; {@code NaN} before this instance has scanned (followers never do) or when there is no such mall.
   */
  public double refreshTokenMinSecondsLeft() {
    java.time.Instant soonest = soonestExpiry;
    return soonest == null ? Double.NaN : Duration.between(clock.instant(), soonest).toMillis() / 1000.0;
  }

  /** Keep-alive refreshes that failed. */
  public long failed() {
    return failed.get();
  }

  private void scanIfLeading() {
    if (stopped || scanning || !leadership.leading()) {
      return;
    }
    scanning = true;
    scans.incrementAndGet();
    long before = refreshed.get();
    long failedBefore = failed.get();
    dueMalls.find(clock.instant())
        .compose(found -> {
          soonestExpiry = found.soonest();
          markedMalls = found.marked();
          return refreshAll(found.due()).map(found);
        })
        .onComplete(outcome -> {
          scanning = false;
          if (outcome.failed()) {
            LOG.warn("keep-alive scan failed: {}; next try in {}", outcome.cause().getMessage(), config.interval());
          } else if (!outcome.result().due().isEmpty()) {
            LOG.info("keep-alive scan: {} mall(s), {} due, {} refreshed, {} failed", outcome.result().malls(),
                outcome.result().due().size(), refreshed.get() - before, failed.get() - failedBefore);
          }
        });
  }

  /** {@code maxConcurrent} workers take the due malls one after another from a shared iterator. */
  private Future<Void> refreshAll(List<DueMalls.Due> due) {
    Iterator<DueMalls.Due> next = due.iterator();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(config.maxConcurrent(), due.size()); i++) {
      workers.add(work(next));
    }
    return Future.join(workers).mapEmpty();
  }

  private Future<Void> work(Iterator<DueMalls.Due> next) {
    // In turn (see InTurn): a run may find thousands of malls due, too many to chain futures one inside another.
    return InTurn.until(() -> {
      if (stopped || !next.hasNext() || !leadership.leading()) {
        return null;
      }
      DueMalls.Due mall = next.next();
      long pause = 1 + ThreadLocalRandom.current().nextLong(config.jitter().toMillis() + 1);
      return vertx.timer(pause)
          .compose(fired -> stopped || !leadership.leading() ? Future.succeededFuture() : refreshOne(mall));
    });
  }

  private Future<Void> refreshOne(DueMalls.Due mall) {
    return refresh.refresh(mall.mall(), mall.version())
        .<Void>map(record -> {
          // No record: forgotten meanwhile; marked: another run found the token dead (it alerted).
          if (record != null && !record.reauthorizationRequired()) {
            refreshed.incrementAndGet();
          }
          return null;
        })
        .recover(failure -> {
          failed.incrementAndGet();
          notRenewed(mall, failure);
          return Future.succeededFuture();
        });
  }

  private void notRenewed(DueMalls.Due mall, Throwable failure) {
    if (failure instanceof GatewayFailure gateway && gateway.code() == ErrorCode.MALL_REAUTHORIZATION_REQUIRED) {
      return; // the mark itself is what operators hear of
    }
    Duration left = Duration.between(clock.instant(), mall.refreshTokenExpiresAt());
    String reason = failure instanceof GatewayFailure gateway ? gateway.getMessage() : "internal error";
    LOG.warn("keep-alive could not refresh mall {} ({} left on its refresh token): {}", mall.mall(), left, reason);
    try {
      listener.notRenewed(mall.mall(), left, reason);
    } catch (RuntimeException e) {
      LOG.error("keep-alive listener failed", e);
    }
  }
}
