package io.mallgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What makes two GETs one call to Cafe24 ({@link Coalescing}): the path as checked (it names the mall and tells the
 * Admin API from the Front API, so no call is ever shared across malls or APIs), the raw query, and the headers that
 * choose the answer's form and that the gateway passes on — {@code Accept}, {@code Accept-Encoding} (the upstream
 * client does not decompress, so an encoding changes the bytes), {@code Accept-Language},
 * {@code X-Cafe24-Api-Version} and {@code Origin} (CORS answers vary by it). A header sent twice counts with all its
 * values, in order.
 *
 * <p>{@link #of} gives none — the request has a call of its own — for anything but a GET; a GET with a body; one
 * whose answer depends on what the caller holds ({@code If-*}, {@code Range}: a 304 or a 206 is not everybody's
 * answer); one that asks for an answer made after it was sent ({@code Cache-Control: no-cache} or {@code no-store},
 * {@code Pragma: no-cache}: the caller's way to read its own writes); one with {@code Expect}, a CORS preflight's
 * {@code Access-Control-Request-*}, or an {@code Accept-*} header not named above; and a Front API call with the
 * caller's {@code Authorization} (a customer's own token: {@link HeaderPolicy} forwards it there, so the answer is
 * that customer's). An Admin API call's {@code Authorization} and every {@code Cookie} never reach Cafe24, so they are
 * no part of the key. Other headers ({@code User-Agent}, tracing ids) are taken not to change Cafe24's answer, unless
 * the answer says so ({@link #variesBeyondKey}).
 *
 * <p>Made in one pass over the headers, comparing names by length first: this runs for every proxied GET.
 */
record CoalesceKey(String path, String query, String accept, String acceptEncoding, String acceptLanguage,
    String apiVersion, String origin) {

  private static final int ACCEPT = 0;
  private static final int ACCEPT_ENCODING = 1;
  private static final int ACCEPT_LANGUAGE = 2;
  private static final int API_VERSION = 3;
  private static final int ORIGIN = 4;
  private static final String CORS_PREFLIGHT = "access-control-request-";

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
          chosen = new String[5];
        }
        chosen[keyed] = chosen[keyed] == null ? value : chosen[keyed] + '\n' + value;
      } else if (ownCall(name, value, front)) {
        return null;
      }
    }
    return chosen == null ? new CoalesceKey(path, query, null, null, null, null, null)
        : new CoalesceKey(path, query, chosen[ACCEPT], chosen[ACCEPT_ENCODING], chosen[ACCEPT_LANGUAGE],
            chosen[API_VERSION], chosen[ORIGIN]);
  }

  /**
   * Whether an answer's {@code Vary} names a request header by which two requests of one key may still differ, so
   * that it may not be the answer the other would have had. Not: a header of the key; one whose presence gives a
   * request a call of its own (no request sharing a call carries it); one that Cafe24 gets the same from every
   * caller, the gateway's own ({@code Authorization}, {@code Cookie}: never forwarded on a shared call; {@code Host},
   * the forwarding headers). {@code *} names them all.
   */
  static boolean variesBeyondKey(List<String> vary) {
    for (String value : vary) {
      for (String name : value.split(",")) {
        String trimmed = name.strip();
        if (!trimmed.isEmpty() && keyed(trimmed) < 0 && !presenceIsOwnCall(trimmed) && !sameForEveryCaller(trimmed)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Which part of the key the header is, or -1. */
  private static int keyed(String name) {
    switch (name.length()) {
      case 6:
        return name.equalsIgnoreCase("accept") ? ACCEPT : name.equalsIgnoreCase("origin") ? ORIGIN : -1;
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
    if (presenceIsOwnCall(name)) {
      return true;
    }
    switch (name.length()) {
      case 6:
        return name.equalsIgnoreCase("pragma") && noCache(value);
      case 13:
        return name.equalsIgnoreCase("cache-control") && noCache(value)
            || front && name.equalsIgnoreCase("authorization");
      case 14:
        return name.equalsIgnoreCase("content-length") && !"0".equals(value.strip());
      default:
        return false;
    }
  }

  /** A header whose mere presence gives a request a call of its own (keyed {@code Accept-*} are looked at first). */
  private static boolean presenceIsOwnCall(String name) {
    return name.regionMatches(true, 0, "if-", 0, 3) || name.regionMatches(true, 0, "accept-", 0, 7)
        || name.regionMatches(true, 0, CORS_PREFLIGHT, 0, CORS_PREFLIGHT.length())
        || name.equalsIgnoreCase("range") || name.equalsIgnoreCase("expect")
        || name.equalsIgnoreCase("transfer-encoding");
  }

  private static boolean sameForEveryCaller(String name) {
    return name.equalsIgnoreCase("authorization") || name.equalsIgnoreCase("cookie")
        || name.equalsIgnoreCase("host") || name.equalsIgnoreCase("forwarded") || name.equalsIgnoreCase("x-real-ip")
        || name.regionMatches(true, 0, "x-forwarded-", 0, 12);
  }

  private static boolean noCache(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.contains("no-cache") || lower.contains("no-store");
  }
}
