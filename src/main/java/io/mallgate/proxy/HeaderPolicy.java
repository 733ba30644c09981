package io.mallgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the gateway, in each direction.
 *
 * <ul>
 *   <li>Hop-by-hop headers (RFC 9110 §7.6.1) and every header that {@code Connection} names belong to one connection
 *       and are removed both ways.</li>
 *   <li>Towards Cafe24 the caller's credentials ({@code Authorization}, {@code Cookie}, {@code Proxy-Authorization})
 *       and what describes our internal network ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}) are
 *       dropped; {@code Host} comes from the upstream address; {@code Expect} is answered by the gateway itself.</li>
 *   <li>Towards the caller everything else passes, so {@code X-Api-Call-Limit} and the {@code X-Cafe24-*} usage
 *       headers arrive; a {@code X-Mallgate-Error} from upstream is dropped so that header always means "the gateway
 *       said this".</li>
 * </ul>
 * Header names are compared ignoring case, as HTTP does, without a lower-cased copy of each name: this runs for every
 * header of every request and response. Stateless and thread-safe.
 */
public final class HeaderPolicy {

  /** Header that tells a gateway error from Cafe24's own. */
  public static final String MALLGATE_ERROR = "X-Mallgate-Error";
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String API_VERSION = "X-Cafe24-Api-Version";

  private static final Names HOP_BY_HOP = new Names(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "proxy-authenticate", "proxy-authorization");
  private static final Names NEVER_UPSTREAM = new Names(
      "authorization", "cookie", "host", "expect", "forwarded", "x-real-ip", "x-request-id", API_VERSION);
  private static final String FORWARDED_PREFIX = "x-forwarded-";
  /** The gateway sets its own X-Request-Id on every response; an upstream one would make two. */
  private static final Names NEVER_DOWNSTREAM = new Names(MALLGATE_ERROR, REQUEST_ID);

  private final String defaultApiVersion;

  /** @param defaultApiVersion sent as {@code X-Cafe24-Api-Version} when the caller sends none; empty for none */
  public HeaderPolicy(String defaultApiVersion) {
    this.defaultApiVersion = defaultApiVersion == null ? "" : defaultApiVersion;
  }

  /**
   * Writes the headers of the upstream request into {@code upstream}, the new request's own (empty) header map: the
   * caller's allowed headers plus the bearer, the API version and the request id. {@code Content-Length} is kept, so
   * a fixed-length body stays fixed-length.
   */
  public void copyUpstream(MultiMap caller, MultiMap upstream, String accessToken, String requestId) {
    Set<String> named = connectionNamed(caller);
    for (Map.Entry<String, String> header : caller) {
      String name = header.getKey();
      if (!HOP_BY_HOP.contains(name) && !NEVER_UPSTREAM.contains(name)
          && !name.regionMatches(true, 0, FORWARDED_PREFIX, 0, FORWARDED_PREFIX.length()) && !named.contains(name)) {
        upstream.add(header.getKey(), header.getValue());
      }
    }
    String version = caller.get(API_VERSION);
    if (version != null && !version.isEmpty()) {
      upstream.set(API_VERSION, version);
    } else if (!defaultApiVersion.isEmpty()) {
      upstream.set(API_VERSION, defaultApiVersion);
    }
    upstream.set(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
    upstream.set(REQUEST_ID, requestId);
  }

  /** Copies the upstream response's end-to-end headers into the caller's response headers. */
  public void copyDownstream(MultiMap upstream, MultiMap response) {
    Set<String> named = connectionNamed(upstream);
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey();
      if (!HOP_BY_HOP.contains(name) && !NEVER_DOWNSTREAM.contains(name) && !named.contains(name)) {
        response.add(header.getKey(), header.getValue());
      }
    }
  }

  /**
   * The header names listed in {@code Connection}, less those dropped as hop-by-hop anyway: for the usual
   * {@code Connection: keep-alive} that is none, and nothing is allocated.
   */
  private static Set<String> connectionNamed(MultiMap headers) {
    Set<String> named = Set.of();
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String name = value.substring(start, end).trim();
        if (!name.isEmpty() && !HOP_BY_HOP.contains(name)) {
          if (named.isEmpty()) {
            named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
          }
          named.add(name);
        }
        start = end + 1;
      }
    }
    return named;
  }

  /**
   * A fixed set of header names, matched ignoring case without copying the name: grouped by length, so a lookup
   * compares the name only with those of its length (two at most in the sets above).
   */
  private static final class Names {
    private final String[][] byLength;

    Names(String... names) {
      int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
      byLength = new String[longest + 1][0];
      for (String name : names) {
        String[] same = Arrays.copyOf(byLength[name.length()], byLength[name.length()].length + 1);
        same[same.length - 1] = name;
        byLength[name.length()] = same;
      }
    }

    boolean contains(String name) {
      if (name.length() >= byLength.length) {
        return false;
      }
      for (String candidate : byLength[name.length()]) {
        if (candidate.equalsIgnoreCase(name)) {
          return true;
        }
      }
      return false;
    }
  }
}
