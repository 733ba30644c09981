package io.mallgate.webhook.fanout;

import java.util.concurrent.atomic.AtomicLong;

/** What the fan-out did on this instance, all subscribers together. Thread-safe. */
public final class FanoutCounters {

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong deadLettersDropped = new AtomicLong();

  void delivered() {
    delivered.incrementAndGet();
  }

  void failed() {
    failed.incrementAndGet();
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  void replayed() {
    replayed.incrementAndGet();
  }

  public void deadLettersDropped(long count) {
    deadLettersDropped.addAndGet(count);
  }

  /** Attempts a subscriber answered with a 2xx (replays not included). */
  public long deliveredCount() {
    return delivered.get();
  }

  /** Attempts that failed: no answer, or not a 2xx. */
  public long failedCount() {
    return failed.get();
  }

  /** Events given up on and appended to the dead letters. */
  public long deadLetteredCount() {
    return deadLettered.get();
  }

  /** Dead letters delivered by a replay from the admin API. */
  public long replayedCount() {
    return replayed.get();
  }

  /**
   * Dead letters dropped, oldest first, to keep at most {@code webhook.streamMaxLength} (embedded mode; the Redis
   * dead-letter stream is trimmed by Redis, uncounted).
   */
  public long deadLettersDroppedCount() {
    return deadLettersDropped.get();
  }
}
