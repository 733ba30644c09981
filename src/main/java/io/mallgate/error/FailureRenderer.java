package io.mallgate.error;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where a failure becomes a response: Cafe24's error envelope
 * {@code {"error":{"code":…,"message":…,"more_info":{"gateway_code":…}}}} plus {@code X-Mallgate-Error}. Installed as
 * the router's failure handler and error handler, so every route fails by {@code ctx.fail(…)} and nothing else
 * writes errors.
 *
 * <p>A failure after the response head went out cannot be rendered: the connection is closed so the caller sees a
 * truncated response rather than a complete-looking one. A request whose body was not read to the end gets
 * {@code Connection: close}, so unread bytes are never taken for the next request.
 */
public final class FailureRenderer implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureRenderer.class);
  private static final String ERROR_HEADER = "X-Mallgate-Error";

  @Override
  public void handle(RoutingContext ctx) {
    GatewayFailure failure = asGatewayFailure(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      LOG.debug("failure after the response started ({}): closing the connection", failure.code().code());
      ctx.request().connection().close();
      return;
    }
    render(ctx.request(), response, failure);
  }

  /** Writes a failure to a response whose head has not been written. */
  public static void render(HttpServerRequest request, HttpServerResponse response, GatewayFailure failure) {
    JsonObject body = new JsonObject().put("error", new JsonObject()
        .put("code", failure.status())
        .put("message", failure.getMessage())
        .put("more_info", new JsonObject().put("gateway_code", failure.code().code())));
    response.setStatusCode(failure.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(ERROR_HEADER, failure.code().code());
    for (Map.Entry<String, String> header : failure.headers().entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
    if (bodyPending(request)) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response.end(body.toBuffer());
  }

  /** A request body we did not read would be taken for the next request on a kept-alive connection. */
  private static boolean bodyPending(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !"0".equals(length));
  }

  private static GatewayFailure asGatewayFailure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof GatewayFailure failure) {
      return failure;
    }
    if (cause != null) {
      // Unexpected: log the stack (library exceptions carry no tokens), answer without details.
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), cause);
      return new GatewayFailure(ErrorCode.INTERNAL_ERROR, "internal error");
    }
    return switch (ctx.statusCode()) {
      case 404 -> new GatewayFailure(ErrorCode.NOT_FOUND, "no such route");
      case 405 -> new GatewayFailure(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this route");
      case 400 -> new GatewayFailure(ErrorCode.INVALID_REQUEST, "bad request");
      case 413 -> new GatewayFailure(ErrorCode.BODY_TOO_LARGE, "request body too large");
      default -> new GatewayFailure(ErrorCode.INTERNAL_ERROR, "internal error");
    };
  }
}
