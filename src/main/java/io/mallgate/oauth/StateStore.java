package io.mallgate.oauth;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Pending OAuth {@code state} values: each ties one install redirect to one mall and can be taken once. Redis keeps
 * them for every instance (the callback may land on another instance than the install); the embedded variant keeps
 * them in memory, for the single instance the embedded mode allows.
 */
public interface StateStore {

  /** Remembers {@code state} for {@code mall} for {@code ttl}. */
  Future<Void> put(String state, String mall, Duration ttl);

  /** Takes a state: its mall, or {@code null} when unknown, expired or already taken. Atomic: one taker wins. */
  Future<String> take(String state);
}
