package io.mallgate.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the store keeps for one mall: the whole Cafe24 token response, our version number (incremented by every
 * token write, the basis of compare-and-set), when it was written, whether the mall needs the merchant to
 * re-authorize, and how the last refresh attempt went. {@link #toString()} never shows a token.
 *
 * @param mall            the mall id
 * @param tokens          Cafe24's token response
 * @param version         starts at 1 and grows by one with every write of tokens or of the re-authorization mark
 * @param updatedAt       when this version was written
 * @param reauthorization set when the refresh token is dead and only a new install (or import) can help; else null
 * @param lastRefresh     the last refresh attempt's outcome, or null when none was made
 */
public record TokenRecord(String mall, TokenResponse tokens, long version, Instant updatedAt,
    Reauthorization reauthorization, RefreshAttempt lastRefresh) {

  public TokenRecord {
    Objects.requireNonNull(mall, "mall");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A fresh record: no mark, no refresh yet. */
  public TokenRecord(String mall, TokenResponse tokens, long version, Instant updatedAt) {
    this(mall, tokens, version, updatedAt, null, null);
  }

  /** Whether the access token is still usable at {@code now}, with {@code margin} to spare. */
  public boolean accessTokenValid(Instant now, Duration margin) {
    return tokens.expiresAt().isAfter(now.plus(margin));
  }

  public boolean reauthorizationRequired() {
    return reauthorization != null;
  }

  @Override
  public String toString() {
    return "TokenRecord[mall=" + mall + ", version=" + version + ", updatedAt=" + updatedAt + ", tokens=" + tokens
        + ", reauthorization=" + reauthorization + ", lastRefresh=" + lastRefresh + "]";
  }

  /**
   * The mall's refresh token is dead (or the app was removed): no refresh is attempted until a new install or
   * import clears this.
   *
   * @param reason a short stable word ({@code invalid_grant}, {@code refresh_token_lost}, {@code app_deleted}, …)
   * @param detail a human sentence, safe to show (never a token)
   * @param at     when it was marked
   */
  public record Reauthorization(String reason, String detail, Instant at) {
  }

  /**
   * How a refresh attempt ended.
   *
   * @param at      when it ended
   * @param outcome {@code refreshed}, {@code rejected}, {@code transient_failure}, {@code no_answer}, …
   * @param detail  a human sentence, safe to show (never a token)
   */
  public record RefreshAttempt(Instant at, String outcome, String detail) {
  }
}
