package io.mallgate.config;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One section of the configuration that a reload may replace while the gateway runs ({@code rateLimit},
 * {@code breaker}, {@code malls}, {@code alerts}). The parts that use such a section hold its {@code Live} and call
 * {@link #get} each time they need it, so a reload takes effect at their next use without restarting them.
 *
 * <p>Thread-safe and lock-free: one volatile read per {@link #get}, cheap enough on the request path. The value is an
 * immutable record; a reader that needs several of its fields reads it once, so it never mixes two versions.
 *
 * @param <T> the section's record
 */
public final class Live<T> implements Supplier<T> {

  private volatile T value;

  private Live(T value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** A holder starting at {@code value}. */
  public static <T> Live<T> of(T value) {
    return new Live<>(value);
  }

  /** The current value, never null. */
  @Override
  public T get() {
    return value;
  }

  /** Replaces the value; readers see it from their next {@link #get}. */
  public void set(T next) {
    value = Objects.requireNonNull(next, "next");
  }
}
