package io.mallgate.edge;

/**
 * A throwable fit for a log line: the original's class names and stack frames, without its message (or its causes'
 * messages), which may quote request data such as an OAuth {@code code} or a bearer token.
 */
final class Redacted extends RuntimeException {

  private Redacted(Throwable original, Throwable cause) {
    super(original.getClass().getName(), cause, false, true);
    setStackTrace(original.getStackTrace());
  }

  static Redacted of(Throwable original) {
    return of(original, 0);
  }

  private static Redacted of(Throwable original, int depth) {
    Throwable cause = original.getCause();
    return new Redacted(original, cause == null || cause == original || depth > 8 ? null : of(cause, depth + 1));
  }
}
