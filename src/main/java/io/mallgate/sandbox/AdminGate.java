package io.mallgate.sandbox;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every Admin API request, in Cafe24's order: record it, check the bearer token, then meter it in the
 * mall's leaky bucket; only an authenticated, admitted call reaches a resource handler.
 *
 * <p>Every answer carries {@code X-Api-Call-Limit: used/capacity}, refusals included, as Cafe24's do. The gate is
 * synchronous and never touches the body, so a handler behind it can still stream the request body itself.
 */
final class AdminGate implements Handler<RoutingContext> {

  static final String CALL_LIMIT_HEADER = "X-Api-Call-Limit";

  private static final String BEARER = "Bearer ";

  private final OAuthAuthority authority;
  private final LeakyBucket bucket;
  private final boolean rateLimitEnabled;
  private final SimulatorCounters counters;
  private final RequestLog log;

  AdminGate(OAuthAuthority authority, LeakyBucket bucket, boolean rateLimitEnabled, SimulatorCounters counters,
      RequestLog log) {
    this.authority = authority;
    this.bucket = bucket;
    this.rateLimitEnabled = rateLimitEnabled;
    this.counters = counters;
    this.log = log;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String mall = ctx.pathParam("mall");
    log.record(mall, ctx.request());
    AccessCheck access = checkBearer(mall, ctx.request());
    if (access != AccessCheck.VALID) {
      // A refused call costs nothing but still reports the mall's level.
      putCallLimit(ctx, bucket.peek(mall));
      Replies.apiError(ctx, 401, access.message());
      return;
    }
    LeakyBucket.Admission admission = rateLimitEnabled ? bucket.tryAcquire(mall) : bucket.peek(mall);
    putCallLimit(ctx, admission);
    if (!admission.admitted()) {
      counters.rateLimited(mall);
      Replies.apiError(ctx, 429, "Too Many Requests");
      return;
    }
    ctx.next();
  }

  private AccessCheck checkBearer(String mall, HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return AccessCheck.NO_SCHEME;
    }
    String token = header.substring(BEARER.length()).trim();
    return token.isEmpty() ? AccessCheck.INVALID : authority.checkAccess(mall, token);
  }

  /** Every answer, refusals included, reports the mall's level (the Front API's gate too). */
  static void putCallLimit(RoutingContext ctx, LeakyBucket.Admission admission) {
    ctx.response().putHeader(CALL_LIMIT_HEADER, admission.header());
  }
}
