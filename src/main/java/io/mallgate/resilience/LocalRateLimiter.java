package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;

/**
 * The rate limiter of the embedded (single-instance) mode: the semantics of {@link RedisRateLimiter} — GCRA per
 * mall, Cafe24's pauses and counts applied, a bounded FIFO per mall — with the bucket in this process's memory. It
 * is right only while this instance is the only one calling the malls. Thread-safe.
 */
public final class LocalRateLimiter implements RateLimiter {

  private final RateBudget budget;
  private final LocalBucket bucket;
  private final MallQueues queues;

  /** Must be created on the Vert.x context that will own its queues (the gateway's). */
  public LocalRateLimiter(Vertx vertx, GatewayConfig.RateLimit cfg) {
    this.budget = RateBudget.of(cfg);
    this.bucket = new LocalBucket(budget);
    this.queues = new MallQueues(vertx, budget, mall -> Future.succeededFuture(bucket.tryAcquire(mall)));
  }

  @Override
  public Future<Void> acquire(String mall) {
    return queues.acquire(mall);
  }

  @Override
  public void observe(String mall, int status, MultiMap headers) {
    bucket.learn(mall, UpstreamSignal.read(status, headers, budget.capacity()));
  }

  @Override
  public Future<RateState> state(String mall) {
    RateState.Bucket now = bucket.peek(mall);
    return queues.queued(mall).map(queued -> new RateState(true, "instance", budget.capacity(), now.level(),
        now.pausedForMillis(), queued));
  }
}
