package io.mallgate.admin;

import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.usage.UsageView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /admin/malls/{mall}/apps} as JSON: the window's bounds (ISO-8601 with the Korea offset, like every admin
 * timestamp), its scope ({@code cluster} or {@code instance}), {@code max_apps}, and per app, busiest first,
 * {@code calls} (requests through the gateway), {@code cafe24_calls} (tries sent to Cafe24, each spending one call
 * of the mall's budget) and {@code cafe24_throttled} (tries Cafe24 answered with its 429).
 */
final class AppsView {

  private AppsView() {
  }

  static JsonObject json(UsageView view) {
    JsonArray apps = new JsonArray();
    view.apps().forEach(app -> apps.add(new JsonObject()
        .put("app", app.app())
        .put("calls", app.counts().calls())
        .put("cafe24_calls", app.counts().cafe24Calls())
        .put("cafe24_throttled", app.counts().cafe24Throttled())));
    return new JsonObject()
        .put("mall_id", view.mall())
        .put("scope", view.scope())
        .put("window", new JsonObject().put("from", Cafe24Time.iso(view.from())).put("to", Cafe24Time.iso(view.to()))
            .put("minutes", UsageView.MINUTES))
        .put("max_apps", view.maxApps())
        .put("apps", apps);
  }
}
