package io.mallgate.edge;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request: refuses what no route should ever see, before routing.
 *
 * <ul>
 *   <li>Framing that invites request smuggling: a {@code Transfer-Encoding} other than exactly {@code chunked}, both
 *       {@code Content-Length} and {@code Transfer-Encoding}, several or malformed {@code Content-Length} values. The
 *       patched Netty refuses most of these too; this is the second wall (400 {@code invalid_request}, connection
 *       closed).</li>
 *   <li>Raw paths that are not already normalised (dot segments, {@code //}, encoded slashes, control characters):
 *       400 {@code invalid_path}. After this, the router's normalised path and the raw path mean the same thing.</li>
 * </ul>
 * It also starts the request's {@link RequestFacts}, assigns its id (see {@link RequestIds}) and registers the
 * request's one end handler, which tells every {@link RequestEnd} — refused requests included.
 */
public final class EdgeGuard implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeGuard.class);
  private static final Map<String, String> CLOSE = Map.of("Connection", "close");

  private final RequestEnd[] ends;

  /** @param ends told of each request once it is over, in this order */
  public EdgeGuard(List<RequestEnd> ends) {
    this.ends = ends.toArray(RequestEnd[]::new);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    RequestFacts facts = RequestFacts.start(ctx, start);
    RequestIds.assign(ctx, facts);
    ctx.addEndHandler(outcome -> ended(ctx, facts, outcome));
    if (!framingSafe(request.headers())) {
      ctx.fail(new GatewayFailure(ErrorCode.INVALID_REQUEST,
          "ambiguous message framing (Transfer-Encoding / Content-Length)", CLOSE));
      return;
    }
    if (!PathSafety.isSafe(request.path())) {
      ctx.fail(new GatewayFailure(ErrorCode.INVALID_PATH,
          "path must be normalised: no dot segments, empty segments, encoded slashes or control characters"));
      return;
    }
    ctx.next();
  }

  /** Each is told, whatever another one threw: a bug in the metrics must not cost the access line. */
  private void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome) {
    facts.ended(ctx.response());
    for (RequestEnd end : ends) {
      try {
        end.ended(ctx, facts, outcome);
      } catch (RuntimeException e) {
        LOG.warn("{} failed at the end of a request ({})", end.getClass().getSimpleName(), e.getClass().getName());
      }
    }
  }

  static boolean framingSafe(MultiMap headers) {
    if (!headers.contains(HttpHeaders.TRANSFER_ENCODING) && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      return true; // no body declared (a GET, as a rule): nothing to check, no list to make
    }
    List<String> encodings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
    List<String> lengths = headers.getAll(HttpHeaders.CONTENT_LENGTH);
    if (!encodings.isEmpty()) {
      return lengths.isEmpty() && encodings.size() == 1 && encodings.get(0).trim().equalsIgnoreCase("chunked");
    }
    if (lengths.size() > 1) {
      return false;
    }
    return lengths.isEmpty() || isDigits(lengths.get(0));
  }

  private static boolean isDigits(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
