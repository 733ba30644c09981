package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cafe24's per-mall leaky bucket, shared by every instance through Redis.
 *
 * <p><b>Model.</b> One Lua script per decision ({@code rate-acquire.lua}): GCRA on Redis's {@code TIME}, so every
 * instance reads one clock, with Cafe24's capacity and drain rate; each busy period starts to drain
 * {@link RateBudget#SAFETY_MARGIN_MILLIS} after its first grant, because Cafe24 starts when that call arrives. A full
 * burst of {@code capacity} calls goes at once; the busy period's later calls each go that much after their slot;
 * the sustained rate is Cafe24's. A mall's pause key, set from Cafe24's answers, holds every caller until it expires.
 * The same script paces the mall: its grants go at least {@link RateBudget#paceMillis} apart (a little more than
 * {@code 1000 / rateLimit.maxPerSecond}), so a full bucket is spent as a stream Cafe24 will not find abnormal; a slot
 * is granted only when bucket and pacing both allow it, and both record it at once.
 *
 * <p><b>Deployment-wide cap.</b> With {@code rateLimit.egressPerSecond} set, a grant first needs a slot of the whole
 * deployment ({@code rate-egress.lua}, the same pacing on one key). On Redis Cluster a script touches keys of one
 * slot only, and that key cannot share the slot of every mall, so this is a step of its own, before the mall's: a
 * mall that then refuses hands the slot back ({@code rate-egress-release.lua}) unless another grant has followed it,
 * so a slot may be lost, never one too many granted.
 * Each instance queues a mall's requests in a bounded FIFO ({@link MallQueues}); only its head asks Redis, so one
 * instance sends at most one decision per mall at a time.
 *
 * <p><b>Fairness.</b> Within an instance, strict arrival order. Between instances, each queue's head asks when its
 * wait is over and whichever asks first after a slot drains gets it: a burst goes to whoever asks first, and once
 * the bucket is full every waiting instance's head asks again at each slot, so the slots are shared about evenly
 * between the instances that have requests waiting, whatever the length of their queues (a race per slot: fair in
 * expectation, not in strict turns). A global arrival
 * order would need a reservation per request in Redis, which could not be handed back when Cafe24 pauses the mall
 * or a caller gives up, and would cost Redis state per waiting request.
 *
 * <p><b>Cafe24 is the truth.</b> {@link #observe} sends one {@code rate-observe.lua} per answer that says something:
 * a 429 or a {@code *-Remain} wait pauses the mall on every instance (only ever extending a pause), and an
 * {@code X-Api-Call-Limit} above the model's count raises the model (never below what was granted), which covers
 * calls made to the mall by anyone else. It is fire-and-forget; a failure is logged at DEBUG and the response is never
 * touched. Known limit: the count is read when the response head arrives, so a slow endpoint's count is as old as
 * its response time, and may raise the model more than needed (costing throughput for a moment, never a 429).
 *
 * <p><b>Redis unavailable.</b> A rate limiter outage must not become a gateway outage. When the script fails, the
 * call is decided by a {@link LocalBucket} instead — the same model in memory, warmed by every grant and every Cafe24
 * answer this instance saw — and the outage is logged once at WARN. Only the decision that meets the outage waits
 * for the command deadline; from then on decisions stay local, and a {@code PING} at most every
 * {@link #PROBE_EVERY_MILLIS} ms (sent while requests come) looks for Redis; its answer ends the outage (logged at
 * INFO). Meanwhile each instance keeps its own budget, so together they may exceed Cafe24's; Cafe24's 429s and
 * headers then pause and correct each instance's local model (observations are kept locally only while Redis is
 * out).
 *
 * <p><b>Reload.</b> The section is read per decision: a new capacity, drain rate, pace or egress cap is passed to the
 * next script call (the scripts take them as arguments; the state in Redis is in ms and stays valid), a new
 * {@code maxWait} or {@code maxQueue} applies to the requests already waiting, and {@code enabled: false} lets every
 * new call go.
 *
 * <p>Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

  static final long PROBE_EVERY_MILLIS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript ACQUIRE = LuaScript.load("rate-acquire");
  private static final LuaScript OBSERVE = LuaScript.load("rate-observe");
  private static final LuaScript PEEK = LuaScript.load("rate-peek");
  private static final LuaScript EGRESS = LuaScript.load("rate-egress");
  private static final LuaScript EGRESS_RELEASE = LuaScript.load("rate-egress-release");

  private final RedisCommands redis;
  private final LiveBudget budget;
  private final LocalBucket fallback;
  private final MallQueues queues;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private final AtomicLong nextProbe = new AtomicLong();

  /** Must be created on the Vert.x context that will own its queues (the gateway's). */
  public RedisRateLimiter(Vertx vertx, GatewayConfig.RateLimit cfg, RedisCommands redis) {
    this(vertx, () -> cfg, redis);
  }

  /** As above, reading the section from {@code cfg} at each decision (a reload may replace it). */
  public RedisRateLimiter(Vertx vertx, Supplier<GatewayConfig.RateLimit> cfg, RedisCommands redis) {
    this.redis = redis;
    this.budget = new LiveBudget(cfg);
    this.fallback = new LocalBucket(budget);
    this.queues = new MallQueues(vertx, budget, this::decide);
  }

  @Override
  public Future<Void> acquire(String mall) {
    return budget.enabled() ? queues.acquire(mall) : Future.succeededFuture();
  }

  /** From this instance's model (in Redis mode, the local one every grant and every Cafe24 answer keep warm). */
  @Override
  public long estimateMillis(String mall, int calls) {
    return budget.enabled() ? fallback.estimateMillis(mall, calls) : 0;
  }

  @Override
  public void observe(String mall, int status, MultiMap headers) {
    if (!budget.enabled()) {
      return;
    }
    try {
      UpstreamSignal signal = UpstreamSignal.read(status, headers, budget.get().capacity());
      if (signal.isEmpty()) {
        return;
      }
      fallback.learn(mall, signal);
      if (degraded.get()) {
        return; // every failed command would log a warning: during an outage, learn locally only
      }
      redis.eval(OBSERVE, keys(mall), List.of(budget.get().intervalArg(), Long.toString(signal.pauseMillis()),
              Integer.toString(signal.used())))
          .onFailure(failure -> LOG.debug("could not record Cafe24's rate headers for mall {}", mall));
    } catch (RuntimeException e) {
      LOG.debug("could not read Cafe24's rate headers for mall {}", mall, e);
    }
  }

  /** The shared bucket as Redis holds it; this instance's model while Redis is out (or does not answer now). */
  @Override
  public Future<RateState> state(String mall) {
    Future<RateState.Bucket> shared = degraded.get() ? Future.failedFuture("degraded")
        : redis.eval(PEEK, keys(mall), List.of(budget.get().intervalArg())).map(reply -> new RateState.Bucket(
            Double.parseDouble(reply.get(0).toString()), reply.get(1).toLong()));
    return shared
        .map(bucket -> new Scoped(bucket, "cluster"))
        .otherwise(failure -> new Scoped(fallback.peek(mall), "instance"))
        .compose(scoped -> queues.queued(mall).map(queued -> new RateState(budget.enabled(), scoped.scope(),
            budget.get().capacity(), scoped.bucket().level(), scoped.bucket().pausedForMillis(), queued)));
  }

  private record Scoped(RateState.Bucket bucket, String scope) {
  }

  /** Whether decisions are currently local because Redis did not answer. */
  boolean degraded() {
    return degraded.get();
  }

  private Future<MallQueues.Decision> decide(String mall) {
    if (degraded.get()) {
      probe();
      return Future.succeededFuture(fallback.tryAcquire(mall));
    }
    RateBudget current = budget.get();
    return egress(current)
        .compose(egress -> egress.waitMillis() > 0
            ? Future.succeededFuture(MallQueues.Decision.waitFor(egress.waitMillis(), -1))
            : acquireForMall(mall, current, egress.handle()))
        .recover(failure -> {
          enterOutage();
          return Future.succeededFuture(fallback.tryAcquire(mall));
        });
  }

  /** The deployment's answer: a grant with the handle to hand it back by ("" when uncapped), or a wait. */
  private record Egress(String handle, long waitMillis) {
    static final Egress UNCAPPED = new Egress("", 0);
  }

  /**
   * The deployment's slot first, in a script of its own: on Redis Cluster its key cannot share a script with the
   * mall's (see {@link RedisKeys#egress}). First, because when the cap binds, every mall's head waits on it, and a
   * refusal here costs one command; were the mall asked first, each such refusal would cost the mall's grant and
   * its return as well.
   */
  private Future<Egress> egress(RateBudget current) {
    if (!current.egressCapped()) {
      return Future.succeededFuture(Egress.UNCAPPED);
    }
    return redis.eval(EGRESS, List.of(RedisKeys.egress()), List.of(current.egressArg()))
        .map(reply -> reply.get(0).toLong() > 0 ? new Egress("", reply.get(0).toLong())
            : new Egress(reply.get(1).toString(), 0));
  }

  /** The mall's bucket and pacing in one atomic step; a refused mall hands the deployment's slot back. */
  private Future<MallQueues.Decision> acquireForMall(String mall, RateBudget current, String egressHandle) {
    return redis.eval(ACQUIRE, keys(mall), List.of(current.intervalArg(), Integer.toString(current.capacity()),
            Long.toString(RateBudget.SAFETY_MARGIN_MILLIS), current.paceArg(),
            Long.toString(current.paceMarginMillis())))
        .map(reply -> {
          MallQueues.Decision decision = new MallQueues.Decision(reply.get(0).toLong(), reply.get(1).toInteger());
          if (decision.isGrant()) {
            fallback.recordGrant(mall);
          } else if (!egressHandle.isEmpty()) {
            redis.eval(EGRESS_RELEASE, List.of(RedisKeys.egress()), List.of(egressHandle))
                .onFailure(failure -> LOG.debug("could not hand back a deployment-wide call slot"));
          }
          return decision;
        });
  }

  private void enterOutage() {
    nextProbe.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MILLIS));
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("Redis is unavailable to the rate limiter: this instance shapes Cafe24 calls with its own local "
          + "model until Redis answers again; instances no longer share the budget meanwhile");
    }
  }

  private void probe() {
    long due = nextProbe.get();
    long now = System.nanoTime();
    if (now - due < 0 || !nextProbe.compareAndSet(due, now + TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MILLIS))) {
      return;
    }
    redis.send(Request.cmd(Command.PING)).onSuccess(pong -> {
      if (degraded.compareAndSet(true, false)) {
        LOG.info("Redis answers the rate limiter again: instances share the budget again");
      }
    });
  }

  private static List<String> keys(String mall) {
    return List.of(RedisKeys.rate(mall), RedisKeys.pause(mall));
  }
}
