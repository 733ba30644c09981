package io.mallgate.oauth;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The nonces of install states already presented to the callback, so that each signed state is used once. Written
 * only for a state this gateway signed and that has not expired, and kept only until that state would expire: an
 * install writes nothing, and what a callback writes is bounded by the states a caller could get signed. Redis
 * shares them between instances (the callback may land on another instance than the install); the embedded variant
 * keeps them in memory, for the single instance the embedded mode allows.
 */
public interface StateNonces {

  /**
   * Records {@code nonce} as used for {@code ttl}.
   *
   * @return {@code true} for the first use, {@code false} when it was used before. Atomic: one caller wins.
   */
  Future<Boolean> claim(String nonce, Duration ttl);
}
