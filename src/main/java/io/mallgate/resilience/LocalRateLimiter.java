package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The rate limiter of the embedded (single-instance) mode: the semantics of {@link RedisRateLimiter} — GCRA and
 * pacing per mall, the deployment's cap, Cafe24's pauses and counts applied, a bounded FIFO per mall — with the state
 * in this process's memory. It is right only while this instance is the only one calling the malls. Like
 * {@link RedisRateLimiter}, it reads its section per decision, so a reload applies at once and keeps every mall's
 * bucket. Thread-safe.
 */
public final class LocalRateLimiter implements RateLimiter {

  private final LiveBudget budget;
  private final LocalBucket bucket;
  private final MallQueues queues;

  /** Must be created on the Vert.x context that will own its queues (the gateway's). */
  public LocalRateLimiter(Vertx vertx, GatewayConfig.RateLimit cfg) {
    this(vertx, () -> cfg);
  }

  /** As above, reading the section from {@code cfg} at each decision (a reload may replace it). */
  public LocalRateLimiter(Vertx vertx, Supplier<GatewayConfig.RateLimit> cfg) {
    this.budget = new LiveBudget(cfg);
    this.bucket = new LocalBucket(budget);
    this.queues = new MallQueues(vertx, budget, mall -> Future.succeededFuture(bucket.tryAcquire(mall)));
  }

  @Override
  public Future<Void> acquire(String mall) {
    return budget.enabled() ? queues.acquire(mall) : Future.succeededFuture();
  }

  /** From the bucket in memory, which is the whole truth here. */
  @Override
  public long estimateMillis(String mall, int calls) {
    return budget.enabled() ? bucket.estimateMillis(mall, calls) : 0;
  }

  @Override
  public void observe(String mall, int status, MultiMap headers) {
    if (budget.enabled()) {
      bucket.learn(mall, UpstreamSignal.read(status, headers, budget.get().capacity()));
    }
  }

  @Override
  public Future<RateState> state(String mall) {
    RateState.Bucket now = bucket.peek(mall);
    return queues.queued(mall).map(queued -> new RateState(budget.enabled(), "instance", budget.get().capacity(),
        now.level(), now.pausedForMillis(), queued));
  }
}
