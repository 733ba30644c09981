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
}
