package io.mallgate.admin;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.proxy.MallId;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.InstallHints;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.TokenEndpointException;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenService;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;

/**
 * The admin API, mounted only when {@code admin.token} is set:
 * <ul>
 *   <li>{@code PUT /admin/malls/{mall}/token}: import a Cafe24 token response as-is (the migration path from tokens
 *       kept in env vars or files);</li>
 *   <li>{@code GET /admin/malls/{mall}}: the mall's status, without any secret: expiry times, version, last refresh
 *       and its outcome, the re-authorization mark, who holds the refresh lock, the circuit as this instance sees
 *       it;</li>
 *   <li>{@code POST /admin/malls/{mall}/refresh}: a refresh now, through the same lock-and-CAS protocol;</li>
 *   <li>{@code DELETE /admin/malls/{mall}/reauthorization}: clear a re-authorization mark without new tokens;</li>
 *   <li>{@code POST /admin/reseal}: rewrite every record under the primary encryption key (after a rotation);</li>
 *   <li>{@code DELETE /admin/malls/{mall}}: revoke the tokens at Cafe24, then forget the mall. When Cafe24 cannot be
 *       reached the mall is kept (so the revoke can be retried) unless {@code ?force=true}.</li>
 * </ul>
 */
public final class AdminRoutes {

  private static final long MAX_IMPORT_BYTES = 64 * 1024;

  private final GatewayConfig config;
  private final TokenService tokens;
  private final TokenStore store;
  private final RefreshLock lock;
  private final TokenEndpoint endpoint;
  private final Clock clock;
  private final InstallHints hints;
  private final MallBreakers breakers;

  public AdminRoutes(GatewayConfig config, TokenService tokens, TokenStore store, RefreshLock lock,
      TokenEndpoint endpoint, Clock clock, InstallHints hints, MallBreakers breakers) {
    this.config = config;
    this.tokens = tokens;
    this.store = store;
    this.lock = lock;
    this.endpoint = endpoint;
    this.clock = clock;
    this.hints = hints;
    this.breakers = breakers;
  }

  /** Mounts the routes when the admin API is on; otherwise {@code /admin/*} stays a plain 404. */
  public void mount(Router router) {
    if (!config.admin().enabled()) {
      return;
    }
    router.route("/admin/*").handler(new AdminAuth(config.admin().token()));
    router.put("/admin/malls/:mall/token").handler(BodyHandler.create(false).setBodyLimit(MAX_IMPORT_BYTES))
        .handler(this::importToken);
    router.get("/admin/malls/:mall").handler(this::status);
    router.delete("/admin/malls/:mall").handler(this::delete);
    router.post("/admin/malls/:mall/refresh").handler(this::refresh);
    router.delete("/admin/malls/:mall/reauthorization").handler(this::clearReauthorization);
    router.post("/admin/reseal").handler(this::reseal);
  }

  private void importToken(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    TokenResponse response = parse(ctx);
    if (response.mallId() != null && !response.mallId().equals(mall)) {
      throw new GatewayFailure(ErrorCode.INVALID_TOKEN_RESPONSE,
          "the token response names another mall than the path");
    }
    tokens.install(mall, response)
        .compose(record -> view(mall, record))
        .onSuccess(view -> json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  private void status(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    store.get(mall)
        .compose(record -> view(mall, record))
        .onSuccess(view -> json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  private void refresh(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    tokens.forceRefresh(mall)
        .compose(record -> view(mall, record))
        .onSuccess(view -> json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  private void clearReauthorization(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    tokens.clearReauthorization(mall)
        .compose(record -> record == null
            ? Future.failedFuture(new GatewayFailure(ErrorCode.MALL_NOT_FOUND, "no token is stored for this mall"))
            : view(mall, record))
        .onSuccess(view -> json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  /** Re-seals mall after mall, so a large fleet never floods the store. */
  private void reseal(RoutingContext ctx) {
    int[] counts = new int[2];
    store.malls()
        .compose(malls -> resealEach(malls, 0, counts))
        .onSuccess(done -> json(ctx, 200, new JsonObject().put("malls", counts[0]).put("resealed", counts[1])))
        .onFailure(ctx::fail);
  }

  private Future<Void> resealEach(List<String> malls, int index, int[] counts) {
    if (index == malls.size()) {
      return Future.succeededFuture();
    }
    return store.reseal(malls.get(index)).compose(resealed -> {
      counts[0]++;
      counts[1] += resealed ? 1 : 0;
      return resealEach(malls, index + 1, counts);
    });
  }

  private Future<JsonObject> view(String mall, TokenRecord record) {
    return lock.holder(mall).otherwise((String) null)
        .map(holder -> MallStatusView.of(mall, record, clock.instant(), hints.installUrl(mall), holder)
            .put("circuit", MallStatusView.circuit(breakers.status(mall))));
  }

  private void delete(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    boolean force = "true".equals(ctx.queryParams().get("force"));
    store.get(mall)
        .compose(record -> record == null
            ? Future.failedFuture(new GatewayFailure(ErrorCode.MALL_NOT_FOUND, "no token is stored for this mall"))
            : revoke(mall, record.tokens().refreshToken(), force))
        .compose(revoked -> tokens.forget(mall).map(forgotten -> new JsonObject()
            .put("mall_id", mall).put("revoked", revoked).put("forgotten", forgotten)))
        .onSuccess(body -> json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /** Revokes the pair at Cafe24. A dead token means there is nothing to revoke; anything else keeps the mall. */
  private Future<Boolean> revoke(String mall, String refreshToken, boolean force) {
    return endpoint.revoke(mall, refreshToken, "refresh_token")
        .map(done -> true)
        .recover(failure -> {
          // Only "this token is already dead" means there is nothing to revoke; invalid_client and the like mean
          // the tokens may still be live at Cafe24, so the mall is kept.
          boolean alreadyDead = failure instanceof TokenEndpointException e
              && e.kind() == TokenEndpointException.Kind.REJECTED
              && ("invalid_grant".equals(e.error()) || "invalid_token".equals(e.error()));
          if (alreadyDead || force) {
            return Future.succeededFuture(false);
          }
          return Future.failedFuture(new GatewayFailure(ErrorCode.UPSTREAM_UNREACHABLE,
              "could not revoke the token at Cafe24; the mall is kept (retry, or DELETE with ?force=true)"));
        });
  }

  private static TokenResponse parse(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      return TokenResponse.fromJson(body);
    } catch (DecodeException | ClassCastException e) {
      throw new GatewayFailure(ErrorCode.INVALID_TOKEN_RESPONSE, "the body must be a Cafe24 token response (JSON)");
    } catch (IllegalArgumentException e) {
      throw new GatewayFailure(ErrorCode.INVALID_TOKEN_RESPONSE, e.getMessage());
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
