package io.mallgate.webhook.fanout;

import io.vertx.core.Future;

/**
 * Delivers one subscriber's events on this instance until stopped: from the Redis Stream through the subscriber's
 * consumer group ({@link DeliveryLoop}) or from the embedded log with a saved cursor ({@link CursorDeliveryLoop}).
 * Both are called on the context that owns the gateway.
 */
interface SubscriberLoop {

  /** Prepares (group, cursor) and starts cycling; see each implementation for when it fails. */
  Future<Void> start();

  /** Stops after the cycle in flight, whose deliveries finish (each within its timeout); completes then. */
  Future<Void> stop();
}
