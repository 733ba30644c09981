package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
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
 *       dropped; {@code Host} comes from the upstream address; {@code Expect} is answered by the gateway itself.
 *       A caller's {@code X-Cafe24-Client-Id} is never trusted: dropped, and on the Front API replaced. Every
 *       {@code X-Mallgate-*} header is the gateway's business, never Cafe24's: the caller's app name
 *       ({@code X-Mallgate-App}) stays here. The W3C trace context ({@code traceparent}, {@code tracestate}) and
 *       {@code baggage} stay inside too: Cafe24 is an outside party, and would learn our trace ids, vendor state and
 *       whatever internal callers put in baggage.</li>
 *   <li>The Admin API ({@link #copyUpstream}) gets the mall's bearer token. The Front API ({@link #copyFrontUpstream})
 *       never does: it gets the app's {@code X-Cafe24-Client-Id}, and as {@code Authorization} the caller's own
 *       {@code Bearer} (a customer's token, which member-specific calls need) when the caller sent one, else
 *       {@code Basic base64(client_id:front_api_key)} when {@code cafe24.frontApiKey} is set, else none.</li>
 *   <li>Towards the caller everything else passes, so {@code X-Api-Call-Limit} and the {@code X-Cafe24-*} usage
 *       headers arrive; a {@code X-Mallgate-Error} from upstream is dropped so that header always means "the gateway
 *       said this", and so are Cafe24's {@code Set-Cookie} and {@code Set-Cookie2}: a session of Cafe24's is no
 *       business of an internal caller, and a shared client would carry it into every mall's calls.</li>
 * </ul>
 * Header names are compared ignoring case, as HTTP does, without a lower-cased copy of each name: this runs for every
 * header of every request and response. What depends on the config (the client id, the front key's Basic value) is
 * made once, in the constructor. Immutable and thread-safe.
 */
public final class HeaderPolicy {

  /** Header that tells a gateway error from Cafe24's own. */
  public static final String MALLGATE_ERROR = ErrorCode.HEADER;
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String API_VERSION = "X-Cafe24-Api-Version";
  public static final String CLIENT_ID = "X-Cafe24-Client-Id";

  private static final Names HOP_BY_HOP = new Names(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "proxy-authenticate", "proxy-authorization");
  private static final Names NEVER_UPSTREAM = new Names(
      "authorization", "cookie", "host", "expect", "forwarded", "x-real-ip", "x-request-id", API_VERSION,
      CLIENT_ID, "traceparent", "tracestate", "baggage");
  private static final String FORWARDED_PREFIX = "x-forwarded-";
  /** The gateway's own headers ({@code X-Mallgate-App}, {@code X-Mallgate-Error}): never for Cafe24. */
  private static final String MALLGATE_PREFIX = "x-mallgate-";
  /** The gateway sets its own X-Request-Id on every response; an upstream one would make two. */
  private static final Names NEVER_DOWNSTREAM = new Names(MALLGATE_ERROR, REQUEST_ID, "Set-Cookie", "Set-Cookie2");

  private static final String BEARER = "Bearer ";
  private static final CharSequence CLIENT_ID_NAME = HttpHeaders.createOptimized(CLIENT_ID);
  /** Set or looked up on every call: names whose hash is computed once. */
  private static final CharSequence REQUEST_ID_NAME = HttpHeaders.createOptimized(REQUEST_ID);
  private static final CharSequence API_VERSION_NAME = HttpHeaders.createOptimized(API_VERSION);

  private final String defaultApiVersion;
  /** The app's client id, as a header value made once. */
  private final CharSequence clientId;
  /** {@code Basic base64(client_id:front_api_key)}, made once; {@code null} without a front API key. */
  private final CharSequence frontBasic;

  /**
   * @param defaultApiVersion sent as {@code X-Cafe24-Api-Version} when the caller sends none; empty for none
   * @param clientId          the app's client id ({@code cafe24.clientId}), sent on every Front API call
   * @param frontApiKey       {@code cafe24.frontApiKey}; empty or {@code null} for none. Kept only inside the Basic
   *                          value, which nothing here ever prints
   */
  public HeaderPolicy(String defaultApiVersion, String clientId, String frontApiKey) {
    if (clientId == null || clientId.isEmpty()) {
      throw new IllegalArgumentException("the client id must not be empty");
    }
    this.defaultApiVersion = defaultApiVersion == null ? "" : defaultApiVersion;
    this.clientId = HttpHeaders.createOptimized(clientId);
    this.frontBasic = frontApiKey == null || frontApiKey.isEmpty() ? null : HttpHeaders.createOptimized("Basic "
        + Base64.getEncoder().encodeToString((clientId + ":" + frontApiKey).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes the headers of an Admin API request into {@code upstream}, the new request's own (empty) header map: the
   * caller's allowed headers plus the mall's bearer, the API version and the request id. {@code Content-Length} is
   * kept, so a fixed-length body stays fixed-length.
   */
  public void copyUpstream(MultiMap caller, MultiMap upstream, String accessToken, String requestId) {
    copyAllowed(caller, upstream);
    upstream.set(HttpHeaders.AUTHORIZATION, BEARER + accessToken);
    upstream.set(REQUEST_ID_NAME, requestId);
  }

  /**
   * Writes the headers of a Front API request into {@code upstream}, as {@link #copyUpstream} does but with no mall
   * token to give: the app's client id, and the caller's own {@code Bearer} or else the front API key's
   * {@code Basic} (see the class comment). Any other {@code Authorization} of the caller's is dropped.
   */
  public void copyFrontUpstream(MultiMap caller, MultiMap upstream, String requestId) {
    copyAllowed(caller, upstream);
    upstream.set(CLIENT_ID_NAME, clientId);
    String customer = customerBearer(caller.get(HttpHeaders.AUTHORIZATION));
    if (customer != null) {
      upstream.set(HttpHeaders.AUTHORIZATION, customer);
    } else if (frontBasic != null) {
      upstream.set(HttpHeaders.AUTHORIZATION, frontBasic);
    }
    upstream.set(REQUEST_ID_NAME, requestId);
  }

  /** The caller's end-to-end headers that may go to Cafe24, and the API version. */
  private void copyAllowed(MultiMap caller, MultiMap upstream) {
    Set<String> named = connectionNamed(caller);
    for (Iterator<Map.Entry<CharSequence, CharSequence>> headers = entries(caller); headers.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = headers.next();
      CharSequence name = header.getKey();
      if (!HOP_BY_HOP.contains(name) && !NEVER_UPSTREAM.contains(name) && !startsWith(name, FORWARDED_PREFIX)
          && !startsWith(name, MALLGATE_PREFIX) && !isNamed(named, name)) {
        upstream.add(name, header.getValue());
      }
    }
    String version = caller.get(API_VERSION_NAME);
    if (version != null && !version.isEmpty()) {
      upstream.set(API_VERSION_NAME, version);
    } else if (!defaultApiVersion.isEmpty()) {
      upstream.set(API_VERSION_NAME, defaultApiVersion);
    }
  }

  /** {@code authorization} when it is a {@code Bearer} with a credential (the scheme in any case), else null. */
  private static String customerBearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    for (int i = BEARER.length(); i < authorization.length(); i++) {
      if (authorization.charAt(i) != ' ' && authorization.charAt(i) != '\t') {
        return authorization;
      }
    }
    return null;
  }

  /** Copies the upstream response's end-to-end headers into the caller's response headers. */
  public void copyDownstream(MultiMap upstream, MultiMap response) {
    Set<String> named = connectionNamed(upstream);
    for (Iterator<Map.Entry<CharSequence, CharSequence>> headers = entries(upstream); headers.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = headers.next();
      CharSequence name = header.getKey();
      if (!HOP_BY_HOP.contains(name) && !NEVER_DOWNSTREAM.contains(name) && !isNamed(named, name)) {
        response.add(name, header.getValue());
      }
    }
  }

  /**
   * The headers as Netty decoded them, when they are Netty's (a server request's map is): names and values as they
   * are, where the {@code String} view would decode each name into a new string, to be encoded again on the way out.
   * Else (a client response's map adapts Netty's) the map's own iterator: never {@code entries()}, which copies them
   * all into a new list first.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Iterator<Map.Entry<CharSequence, CharSequence>> entries(MultiMap headers) {
    return headers instanceof io.netty.handler.codec.http.HttpHeaders netty ? netty.iteratorCharSequence()
        : (Iterator) headers.iterator();
  }

  private static boolean startsWith(CharSequence name, String lowerCasePrefix) {
    return AsciiString.regionMatches(name, true, 0, lowerCasePrefix, 0, lowerCasePrefix.length());
  }

  private static boolean isNamed(Set<String> named, CharSequence name) {
    return !named.isEmpty() && named.contains(name.toString());
  }

  /**
   * The header names listed in {@code Connection}, less those dropped as hop-by-hop anyway: for no
   * {@code Connection} or the usual {@code Connection: keep-alive}, none, and nothing is allocated.
   */
  private static Set<String> connectionNamed(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION)) {
      return Set.of();
    }
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

    boolean contains(CharSequence name) {
      if (name.length() >= byLength.length) {
        return false;
      }
      for (String candidate : byLength[name.length()]) {
        if (AsciiString.contentEqualsIgnoreCase(candidate, name)) {
          return true;
        }
      }
      return false;
    }
  }
}
