package io.mallgate.webhook;

import java.util.concurrent.atomic.LongAdder;

/** Counts what happened to webhooks, by outcome, for the metrics endpoint. Thread-safe. */
public final class WebhookCounters {

  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder unverified = new LongAdder();
  private final LongAdder tooLarge = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();
  private final LongAdder notConfigured = new LongAdder();
  private final LongAdder appRemovals = new LongAdder();
  private final LongAdder appRestorations = new LongAdder();

  void accepted() {
    accepted.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void unverified() {
    unverified.increment();
  }

  void tooLarge() {
    tooLarge.increment();
  }

  void timedOut() {
    timedOut.increment();
  }

  void storeFailed() {
    storeFailures.increment();
  }

  void notConfigured() {
    notConfigured.increment();
  }

  void appRemoved() {
    appRemovals.increment();
  }

  void appRestored() {
    appRestorations.increment();
  }

  /** Events recorded. */
  public long acceptedCount() {
    return accepted.sum();
  }

  /** Copies of events already recorded: answered 200, not recorded again. */
  public long duplicateCount() {
    return duplicates.sum();
  }

  /** Refused with 403: missing, malformed or wrong signature or key. */
  public long unverifiedCount() {
    return unverified.sum();
  }

  /** Refused with 413. */
  public long tooLargeCount() {
    return tooLarge.sum();
  }

  /** Refused with 408: the body was too slow. */
  public long timedOutCount() {
    return timedOut.sum();
  }

  /** Answered 503: the event could not be recorded (or the mall not marked). */
  public long storeFailureCount() {
    return storeFailures.sum();
  }

  /** Answered 503 {@code webhook_not_configured}: {@code POST /webhook} has no key to verify with. */
  public long notConfiguredCount() {
    return notConfigured.sum();
  }

  /** Malls marked for re-authorization by an app deleted or expired event. */
  public long appRemovalCount() {
    return appRemovals.sum();
  }

  /** Malls whose {@code app_expired} mark an app expiry extended event (90079) cleared. */
  public long appRestorationCount() {
    return appRestorations.sum();
  }
}
