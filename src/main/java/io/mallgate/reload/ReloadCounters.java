package io.mallgate.reload;

import java.util.concurrent.atomic.AtomicLong;

/** Reloads of one gateway by outcome, for {@code mallgate_config_reloads_total}. Thread-safe. */
public final class ReloadCounters {

  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /** Reloads accepted (the file was valid), whether or not anything changed. */
  public long applied() {
    return applied.get();
  }

  /** Reloads refused because the file could not be read or was invalid. */
  public long rejected() {
    return rejected.get();
  }

  void countApplied() {
    applied.incrementAndGet();
  }

  void countRejected() {
    rejected.incrementAndGet();
  }
}
