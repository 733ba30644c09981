package io.mallgate.webhook.fanout;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;

/**
 * The admin routes of the fan-out's dead letters, mounted after {@code AdminRoutes} (whose {@code /admin/*} guard
 * then covers them) and only when the admin API is on and subscribers are configured:
 * <ul>
 *   <li>{@code GET /admin/webhooks/dead-letters?subscriber=&after=&count=}: a page, oldest first, and {@code next},
 *       the {@code after} of the following page (null at the end);</li>
 *   <li>{@code POST /admin/webhooks/dead-letters/{id}/replay}: delivers it to its subscriber now; on a 2xx it is
 *       removed, otherwise 502 {@code webhook_replay_failed} and it stays;</li>
 *   <li>{@code DELETE /admin/webhooks/dead-letters/{id}}: drops it.</li>
 * </ul>
 * The body is Cafe24's event, shown as {@code body_base64}; the subscriber's secret is never part of a dead letter.
 */
public final class DeadLetterRoutes {

  private static final int DEFAULT_COUNT = 50;
  private static final int MAX_COUNT = 500;

  private final Fanout fanout;
  private final DeadLetterStore deadLetters;

  public DeadLetterRoutes(Fanout fanout) {
    this.fanout = fanout;
    this.deadLetters = fanout.deadLetters();
  }

  public void mount(Router router) {
    router.get("/admin/webhooks/dead-letters").handler(this::list);
    router.post("/admin/webhooks/dead-letters/:id/replay").handler(this::replay);
    router.delete("/admin/webhooks/dead-letters/:id").handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    String subscriber = param(ctx, "subscriber");
    String after = param(ctx, "after");
    if (!after.isEmpty() && !DeadLetterStore.ID.matcher(after).matches()) {
      throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "after must be a dead letter id (<ms>-<seq>)");
    }
    int count = count(param(ctx, "count"));
    deadLetters.page(subscriber, after, count)
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.entries().forEach(entry -> items.add(view(entry)));
          json(ctx, 200, new JsonObject().put("dead_letters", items).put("next", page.next()));
        })
        .onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    existing(ctx.pathParam("id"))
        .compose(fanout::replay)
        .onSuccess(attempt -> {
          if (!attempt.delivered()) {
            ctx.fail(new GatewayFailure(ErrorCode.WEBHOOK_REPLAY_FAILED,
                "the subscriber did not accept the event (" + attempt.reason() + "); the dead letter is kept"));
            return;
          }
          json(ctx, 200, new JsonObject().put("id", ctx.pathParam("id")).put("status", "delivered")
              .put("subscriber_status", attempt.status()));
        })
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    existing(id)
        .compose(entry -> deadLetters.delete(id))
        .onSuccess(deleted -> json(ctx, 200, new JsonObject().put("id", id).put("status", "deleted")))
        .onFailure(ctx::fail);
  }

  private Future<StreamEntry> existing(String id) {
    if (!DeadLetterStore.ID.matcher(id).matches()) {
      return Future.failedFuture(notFound());
    }
    return deadLetters.get(id).compose(entry -> entry == null ? Future.failedFuture(notFound())
        : Future.succeededFuture(entry));
  }

  private static JsonObject view(StreamEntry entry) {
    JsonObject view = new JsonObject().put("id", entry.id());
    entry.fields().forEach(view::put);
    return view.put("body_base64", Base64.getEncoder().encodeToString(entry.body().getBytes()));
  }

  private static int count(String value) {
    if (value.isEmpty()) {
      return DEFAULT_COUNT;
    }
    try {
      int count = Integer.parseInt(value);
      if (count >= 1 && count <= MAX_COUNT) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new GatewayFailure(ErrorCode.INVALID_REQUEST, "count must be 1.." + MAX_COUNT);
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null ? "" : value;
  }

  private static GatewayFailure notFound() {
    return new GatewayFailure(ErrorCode.WEBHOOK_DEAD_LETTER_NOT_FOUND, "no dead letter with this id");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
