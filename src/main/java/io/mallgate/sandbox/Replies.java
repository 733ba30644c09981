package io.mallgate.sandbox;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the simulated Cafe24's answers in its own shapes: plain JSON, the OAuth error, the Admin API envelope.
 * Every write ends the exchange; a write that fails (the client went away) is logged at debug, without the body,
 * because there is nobody left to answer.
 */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {
  }

  /** Ends the exchange with {@code body} as JSON. */
  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(body.encode())
        .onFailure(failure -> LOG.debug("simulator could not answer {} {}: {}", ctx.request().method(),
            ctx.request().path(), failure.toString()));
  }

  /** The OAuth endpoints' error: {@code {"error":"invalid_grant","error_description":"…"}}. */
  static void oauthError(RoutingContext ctx, OAuthRejection rejection) {
    json(ctx, rejection.status(), oauthErrorBody(rejection));
  }

  /** The body of {@link #oauthError}, for a caller that decides later whether and how to write it. */
  static JsonObject oauthErrorBody(OAuthRejection rejection) {
    return new JsonObject()
        .put("error", rejection.error())
        .put("error_description", rejection.description());
  }

  /** The Admin API's envelope: {@code {"error":{"code":401,"message":"…","more_info":{}}}}. */
  static void apiError(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", new JsonObject()
        .put("code", status)
        .put("message", message)
        .put("more_info", new JsonObject())));
  }
}
