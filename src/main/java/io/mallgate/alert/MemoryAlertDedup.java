package io.mallgate.alert;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * De-duplication within one process, on the gateway's clock: the embedded mode's (one instance), and the fallback of
 * {@link RedisAlertDedup} while Redis does not answer. Expired claims are dropped as new ones arrive, so the map holds
 * at most the alerts of one window. Thread-safe.
 */
final class MemoryAlertDedup implements AlertDedup {

  private final Clock clock;
  private final ConcurrentHashMap<String, Instant> claimedUntil = new ConcurrentHashMap<>();

  MemoryAlertDedup(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Boolean> claim(Alert alert, Duration window) {
    Instant now = clock.instant();
    claimedUntil.values().removeIf(until -> !until.isAfter(now));
    String key = alert.mall() + "/" + alert.condition() + "/" + alert.occurrence();
    return Future.succeededFuture(claimedUntil.putIfAbsent(key, now.plus(window)) == null);
  }
}
