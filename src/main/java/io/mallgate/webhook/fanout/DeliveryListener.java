package io.mallgate.webhook.fanout;

/**
 * Told of each event a delivery loop got a subscriber's 2xx for, to time the fan-out. Called on the loop's context:
 * implementations must not block.
 */
public interface DeliveryListener {

  /** Hears nothing. */
  DeliveryListener NONE = (subscriber, delayMillis) -> { };

  /**
   * @param subscriber  the configured subscriber's name
   * @param delayMillis from the event's recording (its id) to this 2xx, at least 0
   */
  void delivered(String subscriber, long delayMillis);
}
