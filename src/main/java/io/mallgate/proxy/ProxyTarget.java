package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;

/**
 * Where a proxied request goes, read from the raw path {@code /malls/{mall}/api/...}: the mall and the API path to
 * forward verbatim. The mall id is checked first, then the path: it must pass {@link PathSafety}, stay under
 * {@code /api/}, and not reach {@code /api/v2/oauth} (tokens are the gateway's business, not the callers').
 *
 * @param mall    a valid mall id
 * @param apiPath the raw path from {@code /api/} on, safe to forward byte for byte
 */
public record ProxyTarget(String mall, String apiPath) {

  static final String PREFIX = "/malls/";
  private static final String OAUTH = "/api/v2/oauth";

  /**
   * Parses a raw request path.
   *
   * @throws GatewayFailure {@code invalid_mall_id} or {@code invalid_path}
   */
  public static ProxyTarget parse(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(PREFIX)) {
      throw invalidPath();
    }
    int slash = rawPath.indexOf('/', PREFIX.length());
    String mall = MallId.require(slash < 0 ? rawPath.substring(PREFIX.length()) : rawPath.substring(PREFIX.length(), slash));
    String apiPath = slash < 0 ? "" : rawPath.substring(slash);
    if (!PathSafety.isSafe(apiPath)) {
      throw invalidPath();
    }
    String decoded = PathSafety.decodeForComparison(apiPath);
    if (!decoded.startsWith("/api/") || isOAuth(decoded)) {
      throw invalidPath();
    }
    return new ProxyTarget(mall, apiPath);
  }

  /**
   * {@code /api/v2/oauth} or a path below it, in any case: refusing {@code /API/V2/OAUTH} too costs nothing and leaves
   * no doubt. Compared in place, not on a lower-cased copy of the whole path.
   */
  private static boolean isOAuth(String decoded) {
    return decoded.regionMatches(true, 0, OAUTH, 0, OAUTH.length())
        && (decoded.length() == OAUTH.length() || decoded.charAt(OAUTH.length()) == '/');
  }

  private static GatewayFailure invalidPath() {
    return new GatewayFailure(ErrorCode.INVALID_PATH,
        "path must be /malls/{mall}/api/..., normalised, and outside /api/v2/oauth");
  }
}
