package io.mallgate.proxy;

import io.mallgate.edge.PathSafety;
import io.mallgate.cafe24.MallId;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;

/**
 * Where a proxied request goes, read from the raw path {@code /malls/{mall}/api/...}: the mall, the API path to
 * forward verbatim, and which of Cafe24's APIs it is. The mall id is checked first, then the path: it must pass
 * {@link PathSafety}, stay under {@code /api/}, and not reach {@code /api/v2/oauth} (tokens are the gateway's
 * business, not the callers').
 *
 * <p>Which API is decided here, once, on the path as checked: the Admin API is {@code /api/v2/admin} and what lies
 * below it, spelled exactly so; every other path is the Front API ({@code /api/v2/products}, ...), which must never
 * see the mall's admin token. A path that only Cafe24's own reading could tell from the Admin API — another case
 * ({@code /api/v2/Admin/}) or a percent-encoded letter ({@code /api/v2/%61dmin/}) — is refused rather than guessed
 * at: taken for the Front API it might still be served as admin, taken for the Admin API the token might go where it
 * does not belong. {@code /api/v2/adminx} is an ordinary Front API path.
 *
 * @param mall    a valid mall id
 * @param apiPath the raw path from {@code /api/} on, safe to forward byte for byte
 * @param front   whether this is a Front API call: authenticated by the app's client id (and a customer's own
 *                bearer), never by the mall's admin token
 */
public record ProxyTarget(String mall, String apiPath, boolean front) {

  static final String PREFIX = "/malls/";
  private static final String OAUTH = "/api/v2/oauth";
  private static final String ADMIN = "/api/v2/admin";

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
    if (!decoded.startsWith("/api/") || under(decoded, OAUTH, true)) {
      throw invalidPath();
    }
    // Raw and exact: a '%' or another case anywhere in the prefix makes it not the Admin API's one spelling.
    boolean admin = under(apiPath, ADMIN, false);
    if (!admin && under(decoded, ADMIN, true)) {
      throw new GatewayFailure(ErrorCode.INVALID_PATH,
          "the Admin API is spelled /api/v2/admin, in lower case and without percent-encoding");
    }
    return new ProxyTarget(mall, apiPath, !admin);
  }

  /**
   * {@code prefix} or a path below it ({@code prefix/...}), not {@code prefixx}. With {@code ignoreCase}, refusing
   * {@code /API/V2/OAUTH} too costs nothing and leaves no doubt. Compared in place, not on a lower-cased copy of the
   * whole path.
   */
  private static boolean under(String path, String prefix, boolean ignoreCase) {
    return path.regionMatches(ignoreCase, 0, prefix, 0, prefix.length())
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  private static GatewayFailure invalidPath() {
    return new GatewayFailure(ErrorCode.INVALID_PATH,
        "path must be /malls/{mall}/api/..., normalised, and outside /api/v2/oauth");
  }
}
