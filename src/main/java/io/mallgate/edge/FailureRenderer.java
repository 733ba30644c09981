package io.mallgate.edge;

import io.mallgate.error.GatewayFailure;
import io.mallgate.error.ErrorCode;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.mallgate.edge.ClosingConnections;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where a failure becomes a response: Cafe24's error envelope
 * {@code {"error":{"code":…,"message":…,"more_info":{"gateway_code":…}}}} plus {@code X-Mallgate-Error}. Installed as
 * the router's failure handler and error handler, and as the server's handler for requests Netty could not parse,
 * so every route fails by {@code ctx.fail(…)} and nothing else writes errors.
 *
 * <p>A failure after the response head went out cannot be rendered: the connection is closed so the caller sees a
 * truncated response rather than a complete-looking one. When a request body was left unread, or the failure asks
 * for it ({@code Connection: close} among its headers, as for ambiguous framing), the connection is closed once the
 * answer is written: unread or ambiguous bytes must never be taken for the next request.
 *
 * <p>Unexpected throwables are logged by class and stack frames only: their messages can quote request data (a
 * query with an OAuth {@code code}, a header with a token).
 */
public final class FailureRenderer implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureRenderer.class);

  private final ClosingConnections closing;

  public FailureRenderer(ClosingConnections closing) {
    this.closing = closing;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.closed() || response.ended()) {
      return; // the caller left, or has its answer: nobody to tell, and writing would throw
    }
    if (response.headWritten()) {
      LOG.debug("failure after the response started: closing the connection");
      ctx.request().connection().close();
      return;
    }
    render(ctx.request(), asGatewayFailure(ctx));
  }

  /** For requests the HTTP codec refused (bad framing, oversized headers or URI): envelope, then close. */
  public void renderInvalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    ErrorCode code = ErrorCode.INVALID_REQUEST;
    GatewayFailure failure = new GatewayFailure(code, status == 400 ? "malformed HTTP request"
        : status == 414 ? "request URI too long" : "request headers too large", Map.of("Connection", "close"));
    write(request, request.response(), failure, status);
  }

  /** Writes a failure to a response whose head has not been written. */
  public void render(HttpServerRequest request, GatewayFailure failure) {
    write(request, request.response(), failure, failure.status());
  }

  private void write(HttpServerRequest request, HttpServerResponse response, GatewayFailure failure,
      int status) {
    JsonObject body = new JsonObject().put("error", new JsonObject()
        .put("code", status)
        .put("message", failure.getMessage())
        .put("more_info", new JsonObject().put("gateway_code", failure.code().code())));
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(ErrorCode.HEADER, failure.code().code());
    boolean close = bodyPending(request) || "close".equalsIgnoreCase(failure.headers().get("Connection"));
    for (Map.Entry<String, String> header : failure.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Connection")) {
        response.putHeader(header.getKey(), header.getValue());
      }
    }
    if (close && request.version() != HttpVersion.HTTP_2) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      // Vert.x does not act on a Connection header the application sets: close it ourselves once written.
      closing.closeAfter(request, response.end(body.toBuffer()));
    } else {
      response.end(body.toBuffer());
    }
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
    if (cause instanceof HttpException http) {
      return fromStatus(http.getStatusCode());
    }
    if (fromHttpDecoder(cause)) {
      // The caller sent bytes Netty could not decode (a chunk size that is no number, a line too long): theirs to
      // fix, and anyone could send such a request in a loop, so no ERROR and no stack.
      LOG.info("malformed request on {} {}: {}", ctx.request().method(), ctx.request().path(),
          cause.getClass().getSimpleName());
      return new GatewayFailure(ErrorCode.INVALID_REQUEST, "malformed HTTP request");
    }
    if (cause != null) {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), Redacted.of(cause));
      return new GatewayFailure(ErrorCode.INTERNAL_ERROR, "internal error");
    }
    return fromStatus(ctx.statusCode());
  }

  /** Whether {@code cause} is Netty's HTTP decoder refusing what the caller sent. */
  private static boolean fromHttpDecoder(Throwable cause) {
    if (cause instanceof io.netty.handler.codec.DecoderException
        || cause instanceof io.netty.handler.codec.TooLongFrameException) {
      return true;
    }
    if (cause instanceof NumberFormatException) {
      for (StackTraceElement frame : cause.getStackTrace()) {
        if (frame.getClassName().startsWith("io.netty.handler.codec.http.")) {
          return true;
        }
      }
    }
    return false;
  }

  private static GatewayFailure fromStatus(int status) {
    return switch (status) {
      case 404 -> new GatewayFailure(ErrorCode.NOT_FOUND, "no such route");
      case 405 -> new GatewayFailure(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this route");
      case 413 -> new GatewayFailure(ErrorCode.BODY_TOO_LARGE, "request body too large");
      case 500 -> new GatewayFailure(ErrorCode.INTERNAL_ERROR, "internal error");
      default -> status >= 400 && status < 500
          ? new GatewayFailure(ErrorCode.INVALID_REQUEST, "bad request (malformed query, parameters or body)")
          : new GatewayFailure(ErrorCode.INTERNAL_ERROR, "internal error");
    };
  }
}
