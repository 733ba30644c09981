package io.mallgate.resilience;

import java.time.Instant;

/**
 * A mall's circuit as one instance sees it.
 *
 * @param state            {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param opened           moves to open since the instance started
 * @param halfOpened       moves to half-open (probes allowed)
 * @param closed           moves back to closed
 * @param lastTransitionAt when it last moved, {@code null} when it never did
 */
public record CircuitStatus(String state, long opened, long halfOpened, long closed, Instant lastTransitionAt) {

  static final CircuitStatus NEVER_CALLED = new CircuitStatus("CLOSED", 0, 0, 0, null);
}
