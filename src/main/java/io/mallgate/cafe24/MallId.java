package io.mallgate.cafe24;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;

/**
 * The one rule for a mall id. A mall id becomes a DNS label ({@code {mall}.cafe24api.com}) and is the only thing
 * between a caller and an arbitrary upstream host, so it is checked before any other work: lowercase letters, digits
 * and hyphens, 1 to 63 characters, no hyphen first or last, and nothing else (no dots, colons, percent signs or
 * upper case — {@code Demo} is refused rather than silently lowered).
 */
public final class MallId {

  private MallId() {
  }

  /** Whether {@code candidate} is a valid mall id. Allocation-free: it runs on every request. */
  public static boolean isValid(CharSequence candidate) {
    int length = candidate == null ? 0 : candidate.length();
    if (length == 0 || length > 63) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = candidate.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < length - 1);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code candidate} when valid.
   *
   * @throws GatewayFailure {@code invalid_mall_id}, without echoing the input (it may be hostile)
   */
  public static String require(String candidate) {
    if (!isValid(candidate)) {
      throw new GatewayFailure(ErrorCode.INVALID_MALL_ID,
          "mall id must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen");
    }
    return candidate;
  }
}
