package io.mallgate.sandbox;

/** The outcome of checking an admin call's bearer token, with the 401 message Cafe24 gives for each failure. */
enum AccessCheck {
  VALID(null),
  NO_SCHEME("No authentication scheme has been specified for this request."),
  INVALID("Invalid access_token"),
  EXPIRED("access_token time expired. (invalid_token)");

  private final String message;

  AccessCheck(String message) {
    this.message = message;
  }

  /** The envelope message for a 401; {@code null} for {@link #VALID}. */
  String message() {
    return message;
  }
}
