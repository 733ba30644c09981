package io.mallgate.alert;

import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * Cluster-wide de-duplication: {@code SET alertSent 1 NX PX window}; the instance whose SET succeeds sends. When Redis
 * does not answer, the claim falls back to this process's memory: an alert sent once per instance beats one lost.
 * Thread-safe.
 */
final class RedisAlertDedup implements AlertDedup {

  private final RedisCommands redis;
  private final MemoryAlertDedup fallback;

  RedisAlertDedup(RedisCommands redis, MemoryAlertDedup fallback) {
    this.redis = redis;
    this.fallback = fallback;
  }

  @Override
  public Future<Boolean> claim(Alert alert, Duration window) {
    String key = RedisKeys.alertSent(alert.mall(), alert.condition(), alert.occurrence());
    return redis.send(Request.cmd(Command.SET).arg(key).arg("1").arg("NX").arg("PX").arg(window.toMillis()))
        .map(reply -> reply != null)
        .recover(unavailable -> fallback.claim(alert, window));
  }
}
