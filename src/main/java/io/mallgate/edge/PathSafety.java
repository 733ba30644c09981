package io.mallgate.edge;

/**
 * Checks a raw request path (as it arrived, before any decoding) for the tricks that make a path mean one thing to
 * the gateway and another to the upstream: dot segments ({@code ..}, {@code %2e%2e}), empty segments ({@code //}),
 * encoded slashes or backslashes ({@code %2F}, {@code %5C}), NUL and other control characters, and broken percent
 * escapes, path parameters ({@code ;}), fragments, raw non-ASCII bytes and overlong UTF-8. A path that passes is
 * already normalised, so it can be forwarded byte for byte and its decoded form
 * compared with a prefix.
 *
 * <p>Pure and allocation-light; safe from any thread.
 */
public final class PathSafety {

  private PathSafety() {
  }

  /** Whether the raw path is safe. It must start with {@code /}; a trailing {@code /} is allowed. */
  public static boolean isSafe(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return false;
    }
    int segmentStart = 1;
    for (int i = 1; i <= rawPath.length(); i++) {
      if (i == rawPath.length() || rawPath.charAt(i) == '/') {
        boolean last = i == rawPath.length();
        if (!segmentSafe(rawPath, segmentStart, i, last)) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return true;
  }

  /**
   * Percent-decodes a path that {@link #isSafe} accepted, for comparisons only (never forwarded). Decodes byte-wise
   * as ISO-8859-1: enough to compare ASCII prefixes such as {@code /api/v2/oauth/}.
   */
  public static String decodeForComparison(String safePath) {
    if (safePath.indexOf('%') < 0) {
      return safePath;
    }
    StringBuilder out = new StringBuilder(safePath.length());
    for (int i = 0; i < safePath.length(); i++) {
      char c = safePath.charAt(i);
      if (c == '%') {
        out.append((char) Integer.parseInt(safePath, i + 1, i + 3, 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean segmentSafe(String path, int from, int to, boolean last) {
    if (from == to) {
      return last; // "//" is refused; only a trailing slash leaves an empty segment
    }
    int dots = 0;
    int chars = 0;
    for (int i = from; i < to; i++) {
      int decoded = path.charAt(i);
      // Raw: only printable ASCII; ';' (a path parameter to servlet-style servers: "..;/" means "..") and '#'
      // never belong in an API path.
      if (decoded <= 0x20 || decoded >= 0x7f || decoded == ';' || decoded == '#') {
        return false;
      }
      if (decoded == '%') {
        decoded = hexByte(path, i + 1, to);
        if (decoded < 0) {
          return false;
        }
        i += 2;
        // Encoded '/' or ';', and the overlong UTF-8 lead bytes C0/C1 (as in %c0%ae for '.') are refused too.
        if (decoded == '/' || decoded == ';' || decoded == 0xC0 || decoded == 0xC1) {
          return false;
        }
      }
      if (decoded < 0x20 || decoded == 0x7f || decoded == '\\') {
        return false;
      }
      chars++;
      if (decoded == '.') {
        dots++;
      }
    }
    return !(dots == chars && chars <= 2); // "." and ".." in any spelling
  }

  private static int hexByte(String path, int at, int limit) {
    if (at + 2 > limit) {
      return -1;
    }
    int high = Character.digit(path.charAt(at), 16);
    int low = Character.digit(path.charAt(at + 1), 16);
    return high < 0 || low < 0 ? -1 : high << 4 | low;
  }
}
