package io.mallgate.webhook.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(new GatewayConfig.WebhookDelivery(8, Duration.ofSeconds(1),
      Duration.ofMinutes(5), Duration.ofMillis(500), 16));

  @Test
  void should_double_within_half_jitter_up_to_the_maximum_when_attempts_fail() {
    for (long attempts = 1; attempts <= 60; attempts++) {
      long full = Math.min(300_000, 1000L << Math.min(attempts - 1, 20));
      long delay = backoff.delay("1717218000000-" + attempts, attempts);
      assertTrue(delay > full / 2 && delay <= full, attempts + " attempts: " + delay + " ms");
    }
  }

  @Test
  void should_agree_across_instances_when_they_compute_the_same_entry() {
    Backoff other = new Backoff(new GatewayConfig.WebhookDelivery(8, Duration.ofSeconds(1), Duration.ofMinutes(5),
        Duration.ofMillis(500), 16));
    assertEquals(backoff.delay("1717218000000-7", 3), other.delay("1717218000000-7", 3));
  }
}
