package io.mallgate.oauth;

import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.token.TokenRecord;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The answer to a completed install: a short HTML page, or JSON when the client asks for JSON. Never a token. */
final class InstallPages {

  void installed(RoutingContext ctx, TokenRecord record) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (accept != null && accept.contains("application/json")) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
          .end(new JsonObject()
              .put("mall_id", record.mall())
              .put("installed", true)
              .put("version", record.version())
              .put("scopes", new JsonArray(record.tokens().scopes()))
              .put("expires_at", Cafe24Time.iso(record.tokens().expiresAt()))
              .put("refresh_token_expires_at", Cafe24Time.iso(record.tokens().refreshTokenExpiresAt()))
              .encode());
      return;
    }
    // The mall id is a checked DNS label and scopes come from Cafe24: still, escape what goes into HTML.
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>Mallgate</title></head><body>"
            + "<h1>Mall " + escape(record.mall()) + " is connected</h1>"
            + "<p>Mallgate now holds this mall's Cafe24 tokens and keeps them fresh. Internal apps can call "
            + "<code>/malls/" + escape(record.mall()) + "/api/v2/admin/…</code> through the gateway.</p>"
            + "<p>Scopes: " + escape(String.join(", ", record.tokens().scopes())) + "</p>"
            + "</body></html>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
