package io.mallgate.token;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store keeps for one mall: the whole Cafe24 token response, our version number (incremented by every
 * write, the basis of compare-and-set) and when it was written. {@link #toString()} never shows a token.
 *
 * @param mall      the mall id
 * @param tokens    Cafe24's token response
 * @param version   starts at 1 and grows by one with every write
 * @param updatedAt when this version was written
 */
public record TokenRecord(String mall, TokenResponse tokens, long version, Instant updatedAt) {

  public TokenRecord {
    Objects.requireNonNull(mall, "mall");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether the access token is still usable at {@code now}, with {@code margin} to spare. */
  public boolean accessTokenValid(Instant now, java.time.Duration margin) {
    return tokens.expiresAt().isAfter(now.plus(margin));
  }

  @Override
  public String toString() {
    return "TokenRecord[mall=" + mall + ", version=" + version + ", updatedAt=" + updatedAt + ", tokens=" + tokens
        + "]";
  }
}
