package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.redis.RedisCommands;
import io.vertx.core.Vertx;

/** Picks the rate limiter for a deployment. */
public final class RateLimiters {

  private RateLimiters() {
  }

  /**
   * {@link RateLimiter#unlimited()} when {@code rateLimit.enabled} is false; else the shared {@link RedisRateLimiter}
   * when the gateway runs on Redis ({@code commands} given), else the in-memory {@link LocalRateLimiter}. Call it on
   * the Vert.x context that will own the limiter's queues (the gateway's).
   *
   * @param commands the gateway's Redis commands, or {@code null} in the embedded mode
   */
  public static RateLimiter create(Vertx vertx, GatewayConfig.RateLimit cfg, RedisCommands commands) {
    if (!cfg.enabled()) {
      return RateLimiter.unlimited();
    }
    return commands != null ? new RedisRateLimiter(vertx, cfg, commands) : new LocalRateLimiter(vertx, cfg);
  }

  /**
   * As {@link #create(Vertx, GatewayConfig.RateLimit, RedisCommands)} for a section a reload may replace: the limiter
   * exists even while {@code rateLimit.enabled} is false (it then lets every call go), so that a reload can turn it on.
   */
  public static RateLimiter create(Vertx vertx, Live<GatewayConfig.RateLimit> cfg, RedisCommands commands) {
    return commands != null ? new RedisRateLimiter(vertx, cfg, commands) : new LocalRateLimiter(vertx, cfg);
  }
}
