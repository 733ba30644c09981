package io.mallgate.webhook;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a webhook body whole, bounded in size and in time: a declared {@code Content-Length} over the limit is
 * refused before a byte is read (and before {@code 100 Continue}), a body that grows over it while arriving is refused
 * at that moment, and a body not complete within the deadline fails with {@code body_timeout}. Refused bodies are
 * left unread (the request is paused): the error renderer closes such a connection. Nothing is hashed or kept until
 * the whole body is in.
 *
 * <p>Start it synchronously in the route handler, before the request's data can be delivered. Used on the request's
 * context only.
 */
final class WebhookBody {

  private WebhookBody() {
  }

  /** Whether the declared length alone is over the limit (checked before anything is read). */
  static boolean declaredTooLarge(HttpServerRequest request, long maxBytes) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    // EdgeGuard has already refused a length that is not plain digits.
    return length != null && Long.parseLong(length) > maxBytes;
  }

  static GatewayFailure tooLarge(long maxBytes) {
    return new GatewayFailure(ErrorCode.BODY_TOO_LARGE, "webhook body is larger than webhook.maxBodySize ("
        + maxBytes + " bytes)");
  }

  /** Reads the body; fails with {@code body_too_large}, {@code body_timeout} or {@code invalid_request}. */
  static Future<Buffer> read(Vertx vertx, HttpServerRequest request, long maxBytes, long timeoutMillis) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (request.isEnded() || length != null && "0".equals(length)
        && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    long timer = vertx.setTimer(timeoutMillis, t -> refuse(request, done, new GatewayFailure(ErrorCode.BODY_TIMEOUT,
        "the webhook body did not arrive within webhook.bodyTimeout")));
    request.exceptionHandler(failure -> done.tryFail(new GatewayFailure(ErrorCode.INVALID_REQUEST,
        "the webhook body broke off")));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        refuse(request, done, tooLarge(maxBytes));
      } else if (!done.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> done.tryComplete(body));
    if (request.version() == HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    return done.future().onComplete(finished -> vertx.cancelTimer(timer));
  }

  private static void refuse(HttpServerRequest request, Promise<Buffer> done, GatewayFailure failure) {
    if (done.tryFail(failure)) {
      request.pause();
      request.handler(null);
    }
  }
}
