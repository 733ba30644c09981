package io.mallgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * Stateless and thread-safe.
 */
public final class HeaderPolicy {

  /** Header that tells a gateway error from Cafe24's own. */
  public static final String MALLGATE_ERROR = "X-Mallgate-Error";
  public static final String REQUEST_ID = "X-Request-Id";
  public static final String API_VERSION = "X-Cafe24-Api-Version";

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "proxy-authenticate", "proxy-authorization");
  private static final Set<String> NEVER_UPSTREAM = Set.of(
      "authorization", "cookie", "host", "expect", "forwarded", "x-real-ip", "x-request-id",
      API_VERSION.toLowerCase(Locale.ROOT));
  /** The gateway sets its own X-Request-Id on every response; an upstream one would make two. */
  private static final Set<String> NEVER_DOWNSTREAM = Set.of(MALLGATE_ERROR.toLowerCase(Locale.ROOT),
      REQUEST_ID.toLowerCase(Locale.ROOT));

  private final String defaultApiVersion;

  /** @param defaultApiVersion sent as {@code X-Cafe24-Api-Version} when the caller sends none; empty for none */
  public HeaderPolicy(String defaultApiVersion) {
    this.defaultApiVersion = defaultApiVersion == null ? "" : defaultApiVersion;
  }

  /**
   * Headers for the upstream request: the caller's allowed headers plus the bearer, the API version and the request
   * id. {@code Content-Length} is kept, so a fixed-length body stays fixed-length.
   */
  public MultiMap upstreamRequest(MultiMap caller, String accessToken, String requestId) {
    MultiMap out = HttpHeaders.headers();
    Set<String> named = connectionNamed(caller);
    for (Map.Entry<String, String> header : caller) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !NEVER_UPSTREAM.contains(name) && !name.startsWith("x-forwarded-")
          && !named.contains(name)) {
        out.add(header.getKey(), header.getValue());
      }
    }
    String version = caller.get(API_VERSION);
    if (version != null && !version.isEmpty()) {
      out.set(API_VERSION, version);
    } else if (!defaultApiVersion.isEmpty()) {
      out.set(API_VERSION, defaultApiVersion);
    }
    out.set(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
    out.set(REQUEST_ID, requestId);
    return out;
  }

  /** Copies the upstream response's end-to-end headers into the caller's response headers. */
  public void copyDownstream(MultiMap upstream, MultiMap response) {
    Set<String> named = connectionNamed(upstream);
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !NEVER_DOWNSTREAM.contains(name) && !named.contains(name)) {
        response.add(header.getKey(), header.getValue());
      }
    }
  }

  private static Set<String> connectionNamed(MultiMap headers) {
    var values = headers.getAll(HttpHeaders.CONNECTION);
    if (values.isEmpty()) {
      return Set.of();
    }
    Set<String> named = new HashSet<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    return named;
  }
}
