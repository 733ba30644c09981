package io.mallgate.edge;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the caller's {@code X-Request-Id} when it is a sane token (1-128 of {@code [A-Za-z0-9._:-]}),
 * otherwise a new random one. The id is echoed to the caller, sent to Cafe24 and written in the access line.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  /** Read and set on every request: a name whose hash is computed once. */
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  /** The id assigned to this request by the edge (assigned now for a request the edge did not see). */
  public static String of(RoutingContext ctx) {
    return of(ctx, RequestFacts.of(ctx));
  }

  /** As {@link #of(RoutingContext)}, for a caller that holds the request's facts already (no lookup). */
  public static String of(RoutingContext ctx, RequestFacts facts) {
    String id = facts.requestId();
    return id == null ? assign(ctx, facts) : id;
  }

  static String assign(RoutingContext ctx, RequestFacts facts) {
    String presented = ctx.request().getHeader(HEADER_NAME);
    String id = presented != null && isSane(presented) ? presented : generate();
    facts.requestId(id);
    ctx.response().putHeader(HEADER_NAME, id);
    return id;
  }

  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong();
    long low = random.nextLong();
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
      out[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }

  private static boolean isSane(String id) {
    if (id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
