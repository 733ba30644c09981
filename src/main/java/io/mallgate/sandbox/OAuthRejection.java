package io.mallgate.sandbox;

/**
 * A refusal from the simulated OAuth endpoints, rendered as {@code {"error":…,"error_description":…}}. It carries no
 * stack trace: it is an answer to a client, not a fault of the simulator.
 */
final class OAuthRejection extends RuntimeException {

  private final int status;
  private final String error;

  OAuthRejection(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  static OAuthRejection invalidRequest(String description) {
    return new OAuthRejection(400, "invalid_request", description);
  }

  static OAuthRejection invalidGrant(String description) {
    return new OAuthRejection(400, "invalid_grant", description);
  }

  /** Credentials missing, malformed, or of a client the simulator does not know. */
  static OAuthRejection invalidClient() {
    return new OAuthRejection(401, "invalid_client", "Invalid client_id");
  }

  /** The app's client id with a wrong secret: Cafe24's words, and its {@code error} of a dead refresh token. */
  static OAuthRejection invalidClientSecret() {
    return new OAuthRejection(400, "invalid_grant", "Invalid client_secret");
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String description() {
    return getMessage();
  }
}
