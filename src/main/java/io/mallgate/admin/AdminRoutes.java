package io.mallgate.admin;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.cafe24.MallId;
import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.InstallHints;
import io.mallgate.token.RefreshLock;
import io.mallgate.token.MallRemoval;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenService;
import io.mallgate.token.TokenStore;
import io.mallgate.usage.AppUsage;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The admin API, mounted only when {@code admin.token} is set:
 * <ul>
 *   <li>{@code PUT /admin/malls/{mall}/token}: import a Cafe24 token response as-is (the migration path from tokens
 *       kept in env vars or files);</li>
 *   <li>{@code GET /admin/malls/{mall}}: the mall's status, without any secret: expiry times, version, last refresh
 *       and its outcome, the re-authorization mark, who holds the refresh lock, the circuit as this instance sees
 *       it;</li>
 *   <li>{@code POST /admin/malls/{mall}/refresh}: a refresh now, through the same lock-and-CAS protocol; on a marked
 *       mall the mark is cleared first and one refresh tried (it comes back only if Cafe24 refuses again);</li>
 *   <li>{@code DELETE /admin/malls/{mall}/reauthorization}: clear a re-authorization mark without new tokens;</li>
 *   <li>{@code PUT /admin/malls/{mall}/reauthorization}: set one by hand, with a reason ({@code {"reason","detail"}});
 *       </li>
 *   <li>{@code GET /admin/malls?limit=&cursor=}: every mall's status, a page at a time ({@link MallListing});</li>
 *   <li>{@code GET /admin/malls/{mall}/errors}: the mall's recent errors on this instance ({@link RecentErrors});</li>
 *   <li>{@code GET /admin/malls/{mall}/apps}: which apps called the mall over the last hour, and what they spent of
 *       its Cafe24 budget, every instance's counts with Redis ({@link AppsView});</li>
 *   <li>{@code GET /admin/} and its files: the operators' page, the only admin paths open without the token
 *       ({@link AdminPage}); {@code GET /admin/openapi.yaml}: this API's description;</li>
 *   <li>{@code POST /admin/reseal}: rewrite every record under the primary encryption key (after a rotation);</li>
 *   <li>{@code DELETE /admin/malls/{mall}}: revoke the tokens at Cafe24, then forget the mall. When Cafe24 cannot be
 *       reached the mall is kept (so the revoke can be retried) unless {@code ?force=true}.</li>
 * </ul>
 */
public final class AdminRoutes {

  private static final long MAX_IMPORT_BYTES = 64 * 1024;
  private static final long MAX_MARK_BYTES = 4 * 1024;
  /** A mark's reason is a short stable word, as the gateway's own marks are. */
  private static final Pattern REASON = Pattern.compile("[a-z0-9_]{1,40}");
  private static final int MAX_DETAIL = 300;

  private final GatewayConfig config;
  private final TokenService tokens;
  private final TokenStore store;
  private final MallRemoval removal;
  private final Clock clock;
  private final MallViews views;
  private final MallListing listing;
  private final RecentErrors errors;
  private final AppUsage usage;
  private final AdminPage page;

  public AdminRoutes(GatewayConfig config, TokenService tokens, TokenStore store, RefreshLock lock,
      TokenEndpoint endpoint, Clock clock, InstallHints hints, MallBreakers breakers, RateLimiter rateLimiter,
      RecentErrors errors, AppUsage usage, io.vertx.core.Vertx vertx) {
    this.config = config;
    this.tokens = tokens;
    this.store = store;
    this.removal = new MallRemoval(store, endpoint, tokens);
    this.clock = clock;
    this.views = new MallViews(store, lock, clock, hints, breakers, rateLimiter);
    this.listing = new MallListing(store, views);
    this.errors = errors;
    this.usage = usage;
    this.page = new AdminPage(vertx);
  }

  /** Mounts the routes when the admin API is on; otherwise {@code /admin/*} stays a plain 404. */
  public void mount(Router router) {
    if (!config.admin().enabled()) {
      return;
    }
    page.mountPage(router); // before the guard: the page's files are all it lets through
    router.route("/admin/*").handler(new AdminAuth(config.admin().token()));
    page.mountDescription(router);
    router.get("/admin/malls").handler(this::list);
    router.put("/admin/malls/:mall/token").handler(BodyHandler.create(false).setBodyLimit(MAX_IMPORT_BYTES))
        .handler(this::importToken);
    router.get("/admin/malls/:mall").handler(this::status);
    router.delete("/admin/malls/:mall").handler(this::delete);
    router.post("/admin/malls/:mall/refresh").handler(this::refresh);
    router.delete("/admin/malls/:mall/reauthorization").handler(this::clearReauthorization);
    router.put("/admin/malls/:mall/reauthorization").handler(BodyHandler.create(false).setBodyLimit(MAX_MARK_BYTES))
        .handler(this::markReauthorization);
    router.get("/admin/malls/:mall/errors").handler(this::errors);
    router.get("/admin/malls/:mall/apps").handler(this::apps);
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

  private void list(RoutingContext ctx) {
    listing.page(ctx.queryParams().get("limit"), ctx.queryParams().get("cursor"))
        .onSuccess(body -> json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  private void markReauthorization(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    TokenRecord.Reauthorization mark = mark(ctx);
    tokens.markReauthorizationRequired(mall, mark)
        .compose(record -> record == null
            ? Future.failedFuture(new GatewayFailure(ErrorCode.MALL_NOT_FOUND, "no token is stored for this mall"))
            : view(mall, record))
        .onSuccess(view -> json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  private void errors(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    json(ctx, 200, new JsonObject().put("mall_id", mall).put("scope", "instance")
        .put("kept", RecentErrors.PER_MALL).put("errors", errors.of(mall)));
  }

  private void apps(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    usage.view(mall)
        .onSuccess(view -> json(ctx, 200, AppsView.json(view)))
        .onFailure(ctx::fail);
  }

  /** The body's {@code reason} (a short word, default {@code operator}) and {@code detail} (a sentence). */
  private TokenRecord.Reauthorization mark(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "the body must be JSON: {\"reason\": ..., \"detail\": ...}");
    }
    Object reason = body.getValue("reason", "operator");
    Object detail = body.getValue("detail", "marked by an operator through the admin API");
    if (!(reason instanceof String r) || !REASON.matcher(r).matches()) {
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "reason must be 1 to 40 of a-z, 0-9 and _");
    }
    if (!(detail instanceof String d) || d.length() > MAX_DETAIL || d.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST,
          "detail must be one line of at most " + MAX_DETAIL + " characters");
    }
    return new TokenRecord.Reauthorization(r, d, clock.instant());
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
    return views.of(mall, record);
  }

  private void delete(RoutingContext ctx) {
    String mall = MallId.require(ctx.pathParam("mall"));
    removal.remove(mall, "true".equals(ctx.queryParams().get("force")))
        .map(outcome -> new JsonObject()
            .put("mall_id", mall).put("revoked", outcome.revoked()).put("forgotten", outcome.forgotten()))
        .onSuccess(body -> json(ctx, 200, body))
        .onFailure(ctx::fail);
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
