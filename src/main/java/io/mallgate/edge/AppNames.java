package io.mallgate.edge;

/**
 * The names callers give themselves with {@code X-Mallgate-App}, so that operators can tell which internal app spent
 * a mall's Cafe24 budget. The proxy checks a name before anything records it (the mall-id rule: 1 to 63 lowercase
 * letters, digits and inner hyphens; {@link #OTHER} is reserved), so a name is safe in a log line, a label value and a
 * Redis field as it is.
 */
public final class AppNames {

  /** The header a caller names itself in; never forwarded to Cafe24. */
  public static final String HEADER = "X-Mallgate-App";
  /** The app of a call that named none (no hyphen may start a valid name, so no caller can take it). */
  public static final String NONE = "-";
  /** What the apps beyond {@code metrics.maxApps} are counted as; reserved, so no caller can take it either. */
  public static final String OTHER = "other";

  private AppNames() {
  }
}
