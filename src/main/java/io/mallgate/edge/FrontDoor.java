package io.mallgate.edge;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * The server's request handler, in front of the router: drops requests queued on a connection that is closing (see
 * {@link ClosingConnections}) and refuses an HTTP/1.1 request without {@code Host}, which the router cannot route.
 * The public listener's door ({@link #publicOnly}) also answers 404 {@code not_found} to every path but
 * {@link PublicPaths}, before the router sees it.
 */
public final class FrontDoor implements Handler<HttpServerRequest> {

  private final Router router;
  private final ClosingConnections closing;
  private final FailureRenderer renderer;
  private final boolean publicOnly;

  public FrontDoor(Router router, ClosingConnections closing, FailureRenderer renderer) {
    this(router, closing, renderer, false);
  }

  private FrontDoor(Router router, ClosingConnections closing, FailureRenderer renderer, boolean publicOnly) {
    this.router = router;
    this.closing = closing;
    this.renderer = renderer;
    this.publicOnly = publicOnly;
  }

  /** A door to the same router that lets through only the public paths. */
  public FrontDoor publicOnly() {
    return new FrontDoor(router, closing, renderer, true);
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (closing.isClosing(request.connection())) {
      request.connection().close();
      return;
    }
    if (request.version() == HttpVersion.HTTP_1_1 && request.getHeader(HttpHeaders.HOST) == null) {
      renderer.render(request, new GatewayFailure(ErrorCode.INVALID_REQUEST, "an HTTP/1.1 request needs a Host header",
          Map.of("Connection", "close")));
      return;
    }
    if (publicOnly && !PublicPaths.allows(request.path())) {
      renderer.render(request, new GatewayFailure(ErrorCode.NOT_FOUND, "not served on the public port"));
      return;
    }
    router.handle(request);
  }

  /** The router behind this door. */
  public Router router() {
    return router;
  }

  /** Renders what this door refuses; also the server's handler for requests Netty could not decode. */
  public FailureRenderer renderer() {
    return renderer;
  }
}
