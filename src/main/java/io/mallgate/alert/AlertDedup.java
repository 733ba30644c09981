package io.mallgate.alert;

import io.vertx.core.Future;
import io.mallgate.redis.RedisCommands;
import java.time.Clock;
import java.time.Duration;

/**
 * Decides which instance sends an alert: the first to claim its key within the window. With Redis,
 * {@link RedisAlertDedup} (cluster-wide); embedded, {@link MemoryAlertDedup}.
 */
public interface AlertDedup {

  /** This process's memory: for the embedded mode's single instance. */
  static AlertDedup memory(Clock clock) {
    return new MemoryAlertDedup(clock);
  }

  /** Cluster-wide through Redis, falling back to this process's memory when Redis does not answer. */
  static AlertDedup redis(RedisCommands commands, Clock clock) {
    return new RedisAlertDedup(commands, new MemoryAlertDedup(clock));
  }


  /**
   * Claims the alert for {@code window}.
   *
   * @return whether this caller is the first within the window (and must send it); never fails
   */
  Future<Boolean> claim(Alert alert, Duration window);
}
