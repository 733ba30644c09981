package io.mallgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Map;

/**
 * What makes two GETs one call to Cafe24 ({@link Coalescing}): the path as checked (it names the mall and tells the
 * Admin API from the Front API, so no call is ever shared across malls or APIs), the raw query, and the headers that
 * choose the answer's form and that the gateway passes on — {@code Accept}, {@code Accept-Encoding} (the upstream
 * client does not decompress, so an encoding changes the bytes), {@code Accept-Language} and
 * {@code X-Cafe24-Api-Version}. A header sent twice counts with all its values, in order.
 *
 * <p>{@link #of} gives none — the request has a call of its own — for anything but a GET; a GET with a body; one
 * whose answer depends on what the caller holds ({@code If-*}, {@code Range}: a 304 or a 206 is not everybody's
 * answer); one that asks for an answer made after it was sent ({@code Cache-Control: no-cache} or {@code no-store},
 * {@code Pragma: no-cache}: the caller's way to read its own writes); one with {@code Expect} or an
 * {@code Accept-*} header not named above; and a Front API call with the caller's {@code Authorization} (a customer's
 * own token: {@link HeaderPolicy} forwards it there, so the answer is that customer's). An Admin API call's
 * {@code Authorization} and every {@code Cookie} never reach Cafe24, so they are no part of the key. Other headers
 * ({@code User-Agent}, tracing ids) are taken not to change Cafe24's answer.
 *
 * <p>Made in one pass over the headers, comparing names by length first: this runs for every proxied GET.
 */
record CoalesceKey(String path, String query, String accept, String acceptEncoding, String acceptLanguage,
    String apiVersion) {

  private static final int ACCEPT = 0;
  private static final int ACCEPT_ENCODING = 1;
  private static final int ACCEPT_LANGUAGE = 2;
  private static final int API_VERSION = 3;

  /**
   * The key of a request, or {@code null} when it must have a call of its own.
   *
   * @param path  the raw path as the admit step checked it (normalised, naming the mall)
   * @param query the raw query, or {@code null}
   * @param front whether the path is the Front API ({@link ProxyTarget#front})
   */
  static CoalesceKey of(HttpMethod method, String path, String query, MultiMap headers, boolean front) {
    if (method != HttpMethod.GET) {
      return null;
    }
    String[] chosen = null;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      String value = header.getValue();
      int keyed = keyed(name);
      if (keyed >= 0) {
        if (chosen == null) {
          chosen = new String[4];
        }
        chosen[keyed] = chosen[keyed] == null ? value : chosen[keyed] + '\n' + value;
      } else if (ownCall(name, value, front)) {
        return null;
      }
    }
    return chosen == null ? new CoalesceKey(path, query, null, null, null, null)
        : new CoalesceKey(path, query, chosen[ACCEPT], chosen[ACCEPT_ENCODING], chosen[ACCEPT_LANGUAGE],
            chosen[API_VERSION]);
  }

  /** Which part of the key the header is, or -1. */
  private static int keyed(String name) {
    switch (name.length()) {
      case 6:
        return name.equalsIgnoreCase("accept") ? ACCEPT : -1;
      case 15:
        return name.equalsIgnoreCase("accept-encoding") ? ACCEPT_ENCODING
            : name.equalsIgnoreCase("accept-language") ? ACCEPT_LANGUAGE : -1;
      case 20:
        return name.equalsIgnoreCase(HeaderPolicy.API_VERSION) ? API_VERSION : -1;
      default:
        return -1;
    }
  }

  /** Whether this header makes the request one that must not share a call (see the class comment). */
  private static boolean ownCall(String name, String value, boolean front) {
    if (name.regionMatches(true, 0, "if-", 0, 3) || name.regionMatches(true, 0, "accept-", 0, 7)) {
      return true; // If-None-Match, If-Modified-Since, ...; an Accept-* that is no part of the key
    }
    switch (name.length()) {
      case 5:
        return name.equalsIgnoreCase("range");
      case 6:
        return name.equalsIgnoreCase("expect") || name.equalsIgnoreCase("pragma") && noCache(value);
      case 13:
        return name.equalsIgnoreCase("cache-control") && noCache(value)
            || front && name.equalsIgnoreCase("authorization");
      case 14:
        return name.equalsIgnoreCase("content-length") && !"0".equals(value.strip());
      case 17:
        return name.equalsIgnoreCase("transfer-encoding");
      default:
        return false;
    }
  }

  private static boolean noCache(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.contains("no-cache") || lower.contains("no-store");
  }
}
