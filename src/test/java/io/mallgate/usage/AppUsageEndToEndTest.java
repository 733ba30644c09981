package io.mallgate.usage;

import static io.mallgate.usage.AppUsageFixture.apps;
import static io.mallgate.usage.AppUsageFixture.call;
import static io.mallgate.usage.AppUsageFixture.get;
import static io.mallgate.usage.AppUsageFixture.view;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 3, on the embedded store (one instance): {@code GET /admin/malls/{mall}/apps} says, per app, how
 * many calls it made for the mall, how many tries of them reached Cafe24 (retries included) and how many Cafe24
 * answered with a 429.
 */
@Timeout(60)
class AppUsageEndToEndTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    AppUsageFixture.installRoutes(fixture);
    gateway = fixture.deploy(fixture.config("", dir.resolve("g")).set("metrics.maxApps", 3));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_count_calls_cafe24_calls_and_cafe24_429s_per_app_when_apps_call_a_mall() {
    fixture.install(gateway, "usage1");
    assertEquals(200, get(fixture, gateway, "usage1", "/products", "orders-sync").statusCode());
    assertEquals(200, get(fixture, gateway, "usage1", "/products", "orders-sync").statusCode());
    // Cafe24 says "too many" once; the GET is retried and served: two tries, both spend budget.
    assertEquals(200, get(fixture, gateway, "usage1", "/busy-once?key=e2e", "billing").statusCode());
    // A POST is never retried: Cafe24's 429 goes back to the caller.
    assertEquals(429, call(fixture, gateway, HttpMethod.POST, "usage1", "/status?code=429", "billing").statusCode());
    assertEquals(200, get(fixture, gateway, "usage1", "/products", null).statusCode());
    assertEquals(400, get(fixture, gateway, "usage1", "/products", "Not-Valid").statusCode());

    await("every call counted as it ended").atMost(Duration.ofSeconds(10))
        .until(() -> apps(view(fixture, gateway, "usage1")).size() == 3);
    JsonObject view = view(fixture, gateway, "usage1");
    assertEquals(Map.of("orders-sync", "2 2 0", "billing", "2 3 2", "-", "1 1 0"), apps(view),
        "the refused name is counted nowhere");
    assertEquals("billing", view.getJsonArray("apps").getJsonObject(0).getString("app"), "the biggest spender first");
    assertEquals("instance", view.getString("scope"));
    assertEquals("usage1", view.getString("mall_id"));
    assertEquals(3, view.getInteger("max_apps"));
    JsonObject window = view.getJsonObject("window");
    assertEquals(60, window.getInteger("minutes"));
    Instant from = java.time.OffsetDateTime.parse(window.getString("from")).toInstant();
    Instant to = java.time.OffsetDateTime.parse(window.getString("to")).toInstant();
    assertEquals(0, from.getEpochSecond() % 60, "a minute's start");
    long span = Duration.between(from, to).toSeconds();
    assertEquals(true, span >= 59 * 60 && span <= 60 * 60, "the last hour: " + span + " s");
  }

  @Test
  void should_count_a_call_that_never_reached_cafe24_as_a_call_only_when_the_gateway_refused_it() {
    // No token stored: 401 mall_not_authorized, Cafe24 never called.
    assertEquals(401, get(fixture, gateway, "usage2", "/products", "orders-sync").statusCode());

    await().atMost(Duration.ofSeconds(10)).until(() -> apps(view(fixture, gateway, "usage2"))
        .equals(Map.of("orders-sync", "1 0 0")));
  }

  @Test
  void should_show_the_busiest_named_apps_and_sum_the_rest_as_other_when_more_than_max_apps_call() {
    fixture.install(gateway, "usage3");
    for (String app : List.of("a1", "a1", "a1", "a2", "a2", "a3", "a3", "a4", "a5")) {
      assertEquals(200, get(fixture, gateway, "usage3", "/products", app).statusCode());
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> apps(view(fixture, gateway, "usage3"))
        .equals(Map.of("a1", "3 3 0", "a2", "2 2 0", "a3", "2 2 0", "other", "2 2 0")));
  }

  @Test
  void should_answer_an_empty_list_for_a_mall_nobody_called_and_refuse_an_invalid_mall_id() {
    assertEquals(List.of(), view(fixture, gateway, "nobody-called").getJsonArray("apps").getList());
    assertEquals("invalid_mall_id", fixture.admin(gateway, HttpMethod.GET, "/admin/malls/Bad.Mall/apps")
        .getHeader("X-Mallgate-Error"));
  }
}
