package io.mallgate.token;

/**
 * A call to Cafe24's token endpoint did not give tokens. {@link #kind()} says what that means for a single-use
 * credential (an authorization code or a refresh token), which the refresh protocol depends on. The message is safe
 * to show: it never holds a token, a code or the client secret.
 */
public final class TokenEndpointException extends RuntimeException {

  /** What happened to the credential that was sent. */
  public enum Kind {
    /** Cafe24 answered with an OAuth error ({@code invalid_grant}, {@code invalid_client}, …): not redeemed. */
    REJECTED,
    /** The request never reached Cafe24 (connection refused or timed out, DNS): certainly not redeemed. */
    UNREACHABLE,
    /** Cafe24 answered 5xx: most likely not redeemed, but not certain. */
    UNAVAILABLE,
    /** Sent, and no usable answer (timeout, reset, unreadable 200): possibly redeemed. */
    NO_ANSWER
  }

  private final Kind kind;
  private final String error;
  private final String description;

  public TokenEndpointException(Kind kind, String error, String safeMessage) {
    this(kind, error, null, safeMessage);
  }

  /** @param description Cafe24's {@code error_description} when {@link Kind#REJECTED} and safe to show, else null */
  public TokenEndpointException(Kind kind, String error, String description, String safeMessage) {
    super(safeMessage, null, false, false);
    this.kind = kind;
    this.error = error;
    this.description = description;
  }

  public Kind kind() {
    return kind;
  }

  /** Cafe24's OAuth error code ({@code invalid_grant}, …) when {@link Kind#REJECTED}; otherwise {@code null}. */
  public String error() {
    return error;
  }

  /** Cafe24's {@code error_description} when {@link Kind#REJECTED} (and short, printable, credential-free), or null. */
  public String description() {
    return description;
  }

  /**
   * What a refusal means ({@link RefusalVerdict#of}); {@code null} unless {@link Kind#REJECTED}: a failure without an
   * answer says nothing about the credentials.
   */
  public RefusalVerdict verdict() {
    return kind == Kind.REJECTED ? RefusalVerdict.of(error, description) : null;
  }
}
