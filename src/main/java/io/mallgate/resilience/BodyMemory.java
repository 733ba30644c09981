package io.mallgate.resilience;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the body bytes this instance holds in memory, all callers together: the copies kept for replay after a 401,
 * the bodies still being read before a call may take its concurrency place, and the answers kept for GETs that share
 * a call ({@code proxy.coalesce}). Bodies are read before a place is taken (a slow sender must not hold one), so the
 * places no longer bound this memory by themselves. Thread-safe.
 */
public final class BodyMemory {

  private final long capacity;
  private final AtomicLong held = new AtomicLong();

  /** @param capacity bytes; the gateway gives {@code proxy.maxConcurrent × proxy.replayBufferSize} */
  public BodyMemory(long capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code bytes} if they fit; give them back with {@link #release} exactly once. */
  public boolean reserve(long bytes) {
    long now = held.addAndGet(bytes);
    if (now > capacity) {
      held.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  public void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Bytes held now. */
  public long held() {
    return held.get();
  }
}
