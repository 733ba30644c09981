package io.mallgate.keepalive;

import java.time.Duration;

/**
 * Told when the keep-alive could not renew a mall's refresh token, to alert. Called on the keep-alive's context; must
 * not block, and its exceptions are caught and logged.
 */
@FunctionalInterface
public interface KeepAliveListener {

  KeepAliveListener NONE = (mall, left, reason) -> { };

  /**
   * A keep-alive refresh failed for a reason that is not already the mall's mark (transient: Cafe24 or the lock
   * unavailable, Cafe24 refusing the client).
   *
   * @param left   time left on the mall's refresh token (negative once it lapsed)
   * @param reason a short sentence, safe to show (never a token)
   */
  void notRenewed(String mall, Duration left, String reason);
}
