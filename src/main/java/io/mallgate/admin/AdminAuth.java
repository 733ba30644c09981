package io.mallgate.admin;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Guards the admin API: {@code Authorization: Bearer <admin.token>}, compared in constant time. A missing or wrong
 * token gets 401 {@code admin_unauthorized} with {@code WWW-Authenticate}; the presented value is never logged.
 */
final class AdminAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";
  private final Secret token;

  AdminAuth(Secret token) {
    this.token = token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    boolean bearer = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    if (bearer && token.matches(header.substring(PREFIX.length()).trim())) {
      ctx.next();
      return;
    }
    ctx.fail(new GatewayFailure(ErrorCode.ADMIN_UNAUTHORIZED, "admin API needs Authorization: Bearer <admin.token>",
        Map.of("WWW-Authenticate", "Bearer realm=\"mallgate-admin\"")));
  }
}
