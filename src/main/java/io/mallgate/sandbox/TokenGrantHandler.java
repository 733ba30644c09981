package io.mallgate.sandbox;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated token endpoint, {@code POST /:mall/api/v2/oauth/token} behind a form body handler: Basic client
 * auth, then the code exchange or refresh grant, under the {@link TokenEndpointFaults} programmed by the tests.
 *
 * <p>Runs on the event loop and never blocks: a delay is a timer. The fault is taken when the request arrives, so
 * faults are consumed in arrival order; a delayed request is processed when its timer fires whether or not its
 * client is still there, and its answer is written only to a connection that is still open.
 */
final class TokenGrantHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(TokenGrantHandler.class);

  /** The outcome of processing a request: what a healthy server would answer. */
  private record Answer(int status, JsonObject body) {
  }

  private final Vertx vertx;
  private final String clientId;
  private final AuthorizationCodes codes;
  private final OAuthAuthority authority;
  private final SimulatorCounters counters;
  private final TokenEndpointFaults faults;
  private final ClientAuthentication clientAuth;

  TokenGrantHandler(Vertx vertx, SimulatorSettings settings, AuthorizationCodes codes, OAuthAuthority authority,
      SimulatorCounters counters, TokenEndpointFaults faults) {
    this.vertx = vertx;
    this.clientId = settings.clientId();
    this.codes = codes;
    this.authority = authority;
    this.counters = counters;
    this.faults = faults;
    this.clientAuth = new ClientAuthentication(settings.clientId(), settings.clientSecret());
  }

  @Override
  public void handle(RoutingContext ctx) {
    counters.tokenRequest();
    boolean refresh = "refresh_token".equals(ctx.request().getFormAttribute("grant_type"));
    if (refresh) {
      counters.refreshAttempted(ctx.pathParam("mall"));
    }
    TokenEndpointFaults.Fault fault = faults.arrive(refresh);
    long delayMillis = fault.delay().toMillis();
    if (delayMillis <= 0) {
      settle(ctx, fault);
    } else {
      vertx.setTimer(delayMillis, timer -> settle(ctx, fault));
    }
  }

  private void settle(RoutingContext ctx, TokenEndpointFaults.Fault fault) {
    try {
      switch (fault.outcome()) {
        case FAIL -> write(ctx, new Answer(fault.status(), failure(fault.status())));
        case REFUSE -> write(ctx, new Answer(fault.status(), new JsonObject().put("error", fault.refusal().error())
            .put("error_description", fault.refusal().description())));
        case LOSE -> lose(ctx, answer(ctx));
        default -> write(ctx, answer(ctx));
      }
    } finally {
      faults.finished();
    }
  }

  /** Processes the request as a healthy Cafe24 would: this is where codes and refresh tokens are consumed. */
  private Answer answer(RoutingContext ctx) {
    try {
      clientAuth.require(ctx.request());
      Grant grant = grant(ctx.pathParam("mall"), ctx.request());
      return new Answer(200, grant.toJson(clientId));
    } catch (OAuthRejection rejection) {
      return new Answer(rejection.status(), Replies.oauthErrorBody(rejection));
    }
  }

  private Grant grant(String mall, HttpServerRequest request) {
    String grantType = request.getFormAttribute("grant_type");
    if ("authorization_code".equals(grantType)) {
      List<String> scopes = codes.redeem(mall, SimulatorOAuthRoutes.required(request, "code"), SimulatorOAuthRoutes.required(request, "redirect_uri"));
      Grant grant = authority.issue(mall, scopes);
      counters.codeExchanged();
      return grant;
    }
    if ("refresh_token".equals(grantType)) {
      return authority.refresh(mall, SimulatorOAuthRoutes.required(request, "refresh_token"));
    }
    if (grantType == null) {
      throw OAuthRejection.invalidRequest("grant_type is required");
    }
    throw new OAuthRejection(400, "unsupported_grant_type", "Unsupported grant_type");
  }

  private static void write(RoutingContext ctx, Answer answer) {
    if (ctx.response().closed()) {
      // The client gave up while the request waited: the work is done, there is just nobody left to tell.
      LOG.debug("simulator token answer {} dropped: the client has gone away", answer.status());
      return;
    }
    if (answer.status() == 200) {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }
    Replies.json(ctx, answer.status(), answer.body());
  }

  private static void lose(RoutingContext ctx, Answer processed) {
    LOG.debug("simulator token answer {} lost on purpose", processed.status());
    ctx.request().connection().close()
        .onFailure(failure -> LOG.debug("simulator could not close a connection: {}", failure.toString()));
  }

  private static JsonObject failure(int status) {
    String error = status == 503 ? "temporarily_unavailable" : status >= 500 ? "server_error" : "invalid_request";
    return new JsonObject().put("error", error)
        .put("error_description", "Simulated token endpoint failure (HTTP " + status + ")");
  }
}
