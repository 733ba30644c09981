package io.mallgate.token;

/**
 * Told what the refresh protocol did, to log, count and alert. Called on the refreshing context; implementations must
 * not block and must never fail the refresh (exceptions are caught and logged).
 */
public interface RefreshListener {

  /** A refresh token was redeemed and the new pair stored. */
  default void refreshed(String mall, TokenRecord record) {
  }

  /** A refresh attempt failed without deciding the mall's fate (Cafe24 unavailable, no answer, lock lost). */
  default void refreshFailed(String mall, TokenRecord.RefreshAttempt attempt) {
  }

  /** The mall's refresh token is dead: only the merchant can help now. Operators must hear of this at once. */
  default void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
  }

  /** The refresh got the mall's lock after waiting {@code nanos} (another instance may have held it). */
  default void lockAcquired(String mall, long nanos) {
  }

  /** Tells {@code first}, then {@code second} (counters, then alerts). */
  static RefreshListener both(RefreshListener first, RefreshListener second) {
    return new RefreshListener() {
      @Override
      public void refreshed(String mall, TokenRecord record) {
        first.refreshed(mall, record);
        second.refreshed(mall, record);
      }

      @Override
      public void refreshFailed(String mall, TokenRecord.RefreshAttempt attempt) {
        first.refreshFailed(mall, attempt);
        second.refreshFailed(mall, attempt);
      }

      @Override
      public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
        first.reauthorizationRequired(mall, reauthorization);
        second.reauthorizationRequired(mall, reauthorization);
      }

      @Override
      public void lockAcquired(String mall, long nanos) {
        first.lockAcquired(mall, nanos);
        second.lockAcquired(mall, nanos);
      }
    };
  }
}
