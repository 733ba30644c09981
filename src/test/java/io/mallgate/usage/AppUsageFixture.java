package io.mallgate.usage;

import static io.mallgate.testsupport.Await.result;

import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls with an app name, simulator routes that answer 429, and the admin view read as a map, for the usage tests. */
final class AppUsageFixture {

  private AppUsageFixture() {
  }

  /**
   * {@code /status?code=N} answers N; {@code /busy-once?key=K} answers Cafe24's 429 with a wait of 0 s the first time
   * for each K (so a GET is retried at once), then 200.
   */
  static void installRoutes(GatewayFixture fixture) {
    fixture.simulator.adminRoute("/status").handler(ctx -> ctx.response()
        .setStatusCode(Integer.parseInt(ctx.queryParams().get("code")))
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":{\"code\":" + ctx.queryParams().get("code") + ",\"message\":\"said so\"}}"));
    Map<String, AtomicInteger> seen = new java.util.concurrent.ConcurrentHashMap<>();
    fixture.simulator.adminRoute("/busy-once").handler(ctx -> {
      if (seen.computeIfAbsent(ctx.queryParams().get("key"), k -> new AtomicInteger()).getAndIncrement() == 0) {
        ctx.response().setStatusCode(429).putHeader("Retry-After", "0").putHeader("X-Api-Call-Limit", "40/40")
            .end("{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}");
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end("{}");
      }
    });
  }

  static HttpResponse<Buffer> call(GatewayFixture fixture, RunningGateway gateway, HttpMethod method, String mall,
      String path, String app) {
    HttpRequest<Buffer> request = fixture.client.request(method, gateway.port(), "127.0.0.1",
        "/malls/" + mall + "/api/v2/admin" + path);
    if (app != null) {
      request.putHeader("X-Mallgate-App", app);
    }
    return result(request.send());
  }

  static HttpResponse<Buffer> get(GatewayFixture fixture, RunningGateway gateway, String mall, String path,
      String app) {
    return call(fixture, gateway, HttpMethod.GET, mall, path, app);
  }

  /** The admin view of the mall's apps. */
  static JsonObject view(GatewayFixture fixture, RunningGateway gateway, String mall) {
    HttpResponse<Buffer> response = fixture.admin(gateway, HttpMethod.GET, "/admin/malls/" + mall + "/apps");
    if (response.statusCode() != 200) {
      throw new AssertionError(response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** The view's apps as {@code app -> "calls cafe24_calls cafe24_throttled"}. */
  static Map<String, String> apps(JsonObject view) {
    Map<String, String> apps = new HashMap<>();
    view.getJsonArray("apps").forEach(item -> {
      JsonObject app = (JsonObject) item;
      apps.put(app.getString("app"), app.getLong("calls") + " " + app.getLong("cafe24_calls") + " "
          + app.getLong("cafe24_throttled"));
    });
    return apps;
  }
}
