package io.mallgate.token;

import java.util.concurrent.atomic.LongAdder;

/** Counts what the refresh protocol did, by outcome. The metrics endpoint reads these. Thread-safe. */
public final class RefreshCounters implements RefreshListener {

  private final LongAdder refreshed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder reauthorizations = new LongAdder();

  @Override
  public void refreshed(String mall, TokenRecord record) {
    refreshed.increment();
  }

  @Override
  public void refreshFailed(String mall, TokenRecord.RefreshAttempt attempt) {
    failed.increment();
  }

  @Override
  public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
    reauthorizations.increment();
  }

  public long refreshed() {
    return refreshed.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long reauthorizations() {
    return reauthorizations.sum();
  }
}
