package io.mallgate.usage;

import io.mallgate.concurrent.InTurn;
import io.mallgate.edge.RequestEnd;
import io.mallgate.edge.RequestFacts;
import io.mallgate.redis.RedisCommands;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which app spent each mall's Cafe24 budget (issue 17): per mall and app ({@code X-Mallgate-App}), over the last
 * hour in one-minute buckets, the calls made through the gateway, the tries of them sent to Cafe24 (retries and
 * replays included: each spends the mall's budget) and the 429s Cafe24 answered.
 *
 * <p>Mounted ahead of the proxy route, it counts each proxied call the admit step let in, in this instance's memory,
 * when its response ends: no I/O on the request path. With Redis, every {@link #FLUSH_MILLIS} the minutes that changed
 * are written, one script per mall and minute, two malls at a time at most (so the flush never crowds the request
 * path's commands out of the client); the admin view ({@link #view}) writes the mall's own minutes first, then reads
 * every instance's. Redis failing fails no request and loses no count: the minutes are written at the next flush
 * that succeeds, and meanwhile the view shows this instance's counts ({@code scope: instance}). Without Redis the
 * gateway is one instance and its memory is the whole view.
 *
 * <p>Memory: see {@link UsageWindows}. The periodic work runs on the context that built this object; the rest is
 * thread-safe.
 */
public final class AppUsage implements RequestEnd {

  private static final Logger LOG = LoggerFactory.getLogger(AppUsage.class);
  /** How often, with Redis, the changed minutes are written (and old ones dropped). */
  static final long FLUSH_MILLIS = 5_000;
  /** How often, without Redis, old minutes are dropped. */
  static final long SWEEP_MILLIS = 60_000;
  private static final long MINUTE_MILLIS = 60_000;

  private final Clock clock;
  private final int maxApps;
  private final UsageWindows windows;
  /** {@code null}: the embedded store, one instance. */
  private final RedisUsage shared;
  private final Vertx vertx;
  private final long timer;
  private final AtomicBoolean warnedFull = new AtomicBoolean();
  /** Whether the last flush wrote all it had: the log says when sharing stops and when it works again. */
  private boolean sharing = true;
  private Future<Void> flushing;

  private AppUsage(Vertx vertx, Clock clock, int maxApps, RedisUsage shared, long periodMillis) {
    this.vertx = vertx;
    this.clock = clock;
    this.maxApps = maxApps;
    this.windows = new UsageWindows(maxApps);
    this.shared = shared;
    this.timer = vertx.setPeriodic(periodMillis, tick -> tick());
  }

  /**
   * Counts in this instance's memory only: the embedded store's gateway, which is the only instance. Call on the
   * gateway's context.
   *
   * @param maxApps named apps kept per mall ({@code metrics.maxApps})
   */
  public static AppUsage embedded(Vertx vertx, int maxApps, Clock clock) {
    return new AppUsage(vertx, clock, maxApps, null, SWEEP_MILLIS);
  }

  /** Counts in memory and shares them through Redis with every instance. Call on the gateway's context. */
  public static AppUsage redis(Vertx vertx, RedisCommands commands, int maxApps, Clock clock) {
    return new AppUsage(vertx, clock, maxApps, new RedisUsage(commands), FLUSH_MILLIS);
  }

  /** Counts the request, if it is a proxied call the admit step let in. */
  @Override
  public void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome) {
    String app = facts.app();
    String mall = facts.mall();
    if (app == null || mall == null) {
      return; // refused before its app was checked: no call of any app to any mall
    }
    if (!windows.add(mall, minute(), app, facts.cafe24Calls(), facts.cafe24Throttles())
        && warnedFull.compareAndSet(false, true)) {
      LOG.warn("app usage: {} malls called in the last hour are counted already; calls to further malls are not "
          + "counted until those age out", UsageWindows.MALLS);
    }
  }

  /**
   * The mall's view over the last hour: every instance's counts with Redis ({@code cluster}), else, or when Redis
   * fails, this instance's ({@code instance}). Never fails.
   */
  public Future<UsageView> view(String mall) {
    long minute = minute();
    long oldest = UsageWindows.oldest(minute);
    Instant from = Instant.ofEpochMilli(oldest * MINUTE_MILLIS);
    Instant to = clock.instant();
    if (shared == null) {
      return Future.succeededFuture(UsageView.of(mall, "instance", from, to, maxApps, windows.totals(mall, minute)));
    }
    return flushMall(mall)
        .compose(written -> shared.read(mall, oldest, minute))
        .map(totals -> UsageView.of(mall, "cluster", from, to, maxApps, totals))
        .otherwise(failed -> UsageView.of(mall, "instance", from, to, maxApps, windows.totals(mall, minute)));
  }

  /**
   * Stops the periodic work and, with Redis, writes what is left (within the commands' deadlines). Never fails. Call
   * on the context that built this object, before Redis is closed.
   */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    if (shared == null) {
      return Future.succeededFuture();
    }
    Future<Void> running = flushing == null ? Future.succeededFuture() : flushing;
    return running.transform(done -> flush());
  }

  /** Malls counted now (tests). */
  int trackedMalls() {
    return windows.size();
  }

  private void tick() {
    windows.expire(minute());
    if (shared != null && flushing == null) {
      Future<Void> run = flush();
      if (!run.isComplete()) { // one flush at a time: a slow Redis must not pile them up
        flushing = run;
        run.onComplete(done -> flushing = null);
      }
    }
  }

  /** Writes every mall's changed minutes; stops at the first failure (Redis is out: the next tick tries again). */
  private Future<Void> flush() {
    List<String> dirty = windows.dirtyMalls();
    if (dirty.isEmpty()) {
      return Future.succeededFuture();
    }
    Iterator<String> malls = dirty.iterator();
    AtomicBoolean failed = new AtomicBoolean();
    return Future.join(lane(malls, failed), lane(malls, failed))
        .transform(done -> {
          report(!failed.get());
          return Future.<Void>succeededFuture();
        });
  }

  /** Flushes mall after mall from the shared iterator until none is left or one fails (in turn: see InTurn). */
  private Future<Void> lane(Iterator<String> malls, AtomicBoolean failed) {
    return InTurn.until(() -> {
      String mall;
      synchronized (malls) {
        mall = failed.get() || !malls.hasNext() ? null : malls.next();
      }
      return mall == null ? null : flushMall(mall).onFailure(written -> failed.set(true));
    });
  }

  /** Writes the mall's changed minutes, oldest first; a minute not written is written next time. */
  private Future<Void> flushMall(String mall) {
    return writeFrom(mall, windows.takeDirty(mall), 0);
  }

  private Future<Void> writeFrom(String mall, List<MinuteCounts> minutes, int index) {
    if (index == minutes.size()) {
      return Future.succeededFuture();
    }
    return shared.write(mall, minutes.get(index)).transform(written -> {
      if (written.failed()) {
        minutes.subList(index, minutes.size()).forEach(minute -> windows.redirty(mall, minute.minute()));
        return Future.failedFuture(written.cause());
      }
      return writeFrom(mall, minutes, index + 1);
    });
  }

  private void report(boolean wroteAll) {
    if (!wroteAll && sharing) {
      LOG.warn("app usage: Redis did not take this instance's counts; they are kept here (the last hour) and "
          + "written when it answers again");
    } else if (wroteAll && !sharing) {
      LOG.info("app usage: Redis takes this instance's counts again");
    }
    sharing = wroteAll;
  }

  private long minute() {
    return Math.floorDiv(clock.millis(), MINUTE_MILLIS);
  }
}
