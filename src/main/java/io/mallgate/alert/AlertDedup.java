package io.mallgate.alert;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Decides which instance sends an alert: the first to claim its key within the window. With Redis,
 * {@link RedisAlertDedup} (cluster-wide); embedded, {@link MemoryAlertDedup}.
 */
interface AlertDedup {

  /**
   * Claims the alert for {@code window}.
   *
   * @return whether this caller is the first within the window (and must send it); never fails
   */
  Future<Boolean> claim(Alert alert, Duration window);
}
