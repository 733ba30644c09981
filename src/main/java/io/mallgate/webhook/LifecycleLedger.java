package io.mallgate.webhook;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * When each app lifecycle event (90077, 90078, 90079) was first seen, by mall and body, kept far longer than the
 * de-duplication window. Cafe24 puts no time in its bodies, so the first sighting is the event's time: a captured
 * event replayed after the window is recognised as the old event it is, and {@link AppLifecycle} compares that time
 * with the mall's current install, not the replay's arrival.
 */
public interface LifecycleLedger {

  /** The most bodies remembered per mall (lifecycle events are a handful in a mall's life). */
  int MAX_PER_MALL = 256;

  /**
   * Records {@code seenAt} as the first sighting of the body unless one is known.
   *
   * @return the first sighting of this body for this mall (never later than {@code seenAt})
   */
  Future<Instant> firstSeen(String mall, String bodySha256, Instant seenAt);
}
