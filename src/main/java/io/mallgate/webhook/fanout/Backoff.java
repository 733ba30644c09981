package io.mallgate.webhook.fanout;

import io.mallgate.config.GatewayConfig;

/**
 * The wait before the next attempt: {@code backoff × 2^(attempts-1)}, at most {@code maxBackoff}, less a jitter of up
 * to half. The jitter is drawn from the entry id and the attempt count rather than at random, so that every instance
 * computes the same due time for an entry (any of them may retry it) while entries that failed together spread out.
 */
final class Backoff {

  private final long baseMillis;
  private final long maxMillis;

  Backoff(GatewayConfig.WebhookDelivery delivery) {
    this.baseMillis = delivery.backoff().toMillis();
    this.maxMillis = delivery.maxBackoff().toMillis();
  }

  /** Milliseconds to wait after {@code attempts} failed attempts (at least 1) of the entry {@code id}. */
  long delay(String id, long attempts) {
    int shift = (int) Math.min(Math.max(attempts - 1, 0), 40);
    long full = baseMillis > (maxMillis >> shift) ? maxMillis : Math.min(maxMillis, baseMillis << shift);
    // A fraction in [0, 1) from the id's and the count's hash: stable across instances, different between entries.
    double fraction = ((id.hashCode() * 31L + attempts) & 0xffff) / 65536.0;
    return full - (long) (full * fraction / 2);
  }
}
