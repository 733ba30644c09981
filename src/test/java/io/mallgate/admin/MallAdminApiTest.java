package io.mallgate.admin;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's listing, marks, rate state and recent errors, against a real gateway and simulator. */
@Timeout(60)
class MallAdminApiTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;
  /** Every admin answer of the class, scanned for secrets after each test. */
  static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults());
    fixture.simulator.adminRoute("/boom").handler(ctx -> ctx.response().setStatusCode(503).end("{}"));
    gateway = fixture.deploy(fixture.config("", dir.resolve("embedded")).set("rateLimit.enabled", true));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static JsonObject admin(RunningGateway on, HttpMethod method, String uri, JsonObject body, int status) {
    var request = fixture.client.request(method, on.port(), "127.0.0.1", uri)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN);
    HttpResponse<Buffer> response = result(body == null ? request.send() : request.sendJsonObject(body));
    String text = response.bodyAsString();
    assertEquals(status, response.statusCode(), text);
    assertNoSecret(text);
    return response.bodyAsJsonObject();
  }

  private static JsonObject admin(HttpMethod method, String uri, int status) {
    return admin(gateway, method, uri, null, status);
  }

  private static void assertNoSecret(String text) {
    synchronized (answers) {
      answers.add(text);
    }
    Set<String> secrets = new TreeSet<>(fixture.simulator.issuedSecrets());
    secrets.addAll(List.of(TestConfig.CLIENT_SECRET, TestConfig.ADMIN_TOKEN, TestConfig.TOKEN_KEY));
    for (String secret : secrets) {
      assertFalse(text.contains(secret), "an admin answer holds a secret: " + text);
    }
  }

  private static int proxied(String mall, String path) {
    return fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/" + path).statusCode();
  }

  @Test
  void should_list_every_mall_once_in_sorted_pages_when_paging_25_malls_by_10() {
    RunningGateway fresh = fixture.deploy(fixture.config("", dir.resolve("paging")));
    for (int i = 25; i >= 1; i--) {
      fixture.install(fresh, String.format("page%02d", i));
    }
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = admin(fresh, HttpMethod.GET, "/admin/malls?limit=10"
          + (cursor == null ? "" : "&cursor=" + cursor), null, 200);
      assertEquals(25, page.getInteger("total"));
      JsonArray malls = page.getJsonArray("malls");
      sizes.add(malls.size());
      for (int i = 0; i < malls.size(); i++) {
        JsonObject mall = malls.getJsonObject(i);
        seen.add(mall.getString("mall_id"));
        assertTrue(mall.getJsonObject("access_token").getLong("seconds_left") > 7000, mall.encode());
        assertEquals("closed", mall.getJsonObject("circuit").getString("state"));
        assertTrue(mall.containsKey("rate"), mall.encode());
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(List.of(10, 10, 5), sizes);
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      expected.add(String.format("page%02d", i));
    }
    assertEquals(expected, seen);
  }

  @Test
  void should_answer_invalid_request_when_cursor_or_limit_is_foreign() {
    admin(HttpMethod.GET, "/admin/malls?cursor=not-a-cursor", 400);
    admin(HttpMethod.GET, "/admin/malls?limit=0", 400);
    admin(HttpMethod.GET, "/admin/malls?limit=201", 400);
    admin(HttpMethod.GET, "/admin/malls?limit=ten", 400);
  }

  @Test
  void should_refuse_callers_and_refreshes_when_marked_and_serve_again_when_cleared() {
    fixture.install(gateway, "mark1");
    assertEquals(200, proxied("mark1", "products"));
    JsonObject marked = admin(gateway, HttpMethod.PUT, "/admin/malls/mark1/reauthorization",
        new JsonObject().put("reason", "merchant_left").put("detail", "the merchant closed the shop"), 200);
    assertTrue(marked.getBoolean("reauthorization_required"));
    assertEquals("merchant_left", marked.getJsonObject("reauthorization").getString("reason"));

    HttpResponse<Buffer> refused = fixture.get(gateway, "/malls/mark1/api/v2/admin/products");
    assertEquals(401, refused.statusCode());
    assertEquals("mall_reauthorization_required", refused.getHeader("X-Mallgate-Error"));
    assertEquals(0, fixture.simulator.refreshCount("mark1"), "callers never refresh a marked mall");

    assertFalse(admin(HttpMethod.DELETE, "/admin/malls/mark1/reauthorization", 200)
        .getBoolean("reauthorization_required"));
    admin(HttpMethod.POST, "/admin/malls/mark1/refresh", 200);
    assertEquals(1, fixture.simulator.refreshCount("mark1"));
    assertEquals(200, proxied("mark1", "products"));
  }

  @Test
  void should_refuse_a_mark_when_reason_is_not_a_word_or_mall_is_unknown() {
    fixture.install(gateway, "mark2");
    admin(gateway, HttpMethod.PUT, "/admin/malls/mark2/reauthorization",
        new JsonObject().put("reason", "Not A Word"), 400);
    admin(gateway, HttpMethod.PUT, "/admin/malls/mark2/reauthorization",
        new JsonObject().put("detail", "two\nlines"), 400);
    admin(gateway, HttpMethod.PUT, "/admin/malls/unknown9/reauthorization", new JsonObject(), 404);
    assertEquals(200, proxied("mark2", "products"), "a refused mark leaves the mall alone");
  }

  @Test
  void should_keep_recent_errors_newest_first_without_query_when_calls_fail() {
    assertEquals(401, fixture.get(gateway, "/malls/errs1/api/v2/admin/products?code=CANARYq1234567").statusCode());
    fixture.install(gateway, "errs1");
    assertEquals(503, proxied("errs1", "boom"));
    assertEquals(200, proxied("errs1", "products"));

    JsonObject body = admin(HttpMethod.GET, "/admin/malls/errs1/errors", 200);
    assertFalse(body.encode().contains("CANARYq"), body.encode());
    JsonArray errors = body.getJsonArray("errors");
    assertEquals(2, errors.size(), errors.encode());
    JsonObject newest = errors.getJsonObject(0);
    assertEquals(503, newest.getInteger("status"));
    assertNull(newest.getString("gateway_code"), "Cafe24's own 5xx carries no gateway code");
    assertEquals("/malls/errs1/api/v2/admin/boom", newest.getString("path"));
    JsonObject oldest = errors.getJsonObject(1);
    assertEquals("mall_not_authorized", oldest.getString("gateway_code"));
    assertEquals("GET", oldest.getString("method"));
    assertEquals("/malls/errs1/api/v2/admin/products", oldest.getString("path"));
    assertTrue(admin(HttpMethod.GET, "/admin/malls/quiet1/errors", 200).getJsonArray("errors").isEmpty());
  }

  @Test
  void should_show_the_local_bucket_when_running_embedded() {
    fixture.install(gateway, "rate1");
    assertEquals(200, proxied("rate1", "products"));
    JsonObject rate = admin(HttpMethod.GET, "/admin/malls/rate1", 200).getJsonObject("rate");
    assertTrue(rate.getBoolean("enabled"));
    assertEquals("instance", rate.getString("scope"));
    assertEquals(40, rate.getInteger("capacity"));
    assertTrue(rate.getDouble("level") > 0, rate.encode());
    assertEquals(0, rate.getInteger("queued_here"));
  }

  @Test
  void should_show_the_shared_bucket_when_running_on_redis() {
    RunningGateway clustered = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("redis"))
        .set("rateLimit.enabled", true));
    String mall = "rate" + Long.toString(System.nanoTime() % 100000);
    fixture.install(clustered, mall);
    assertEquals(200, fixture.get(clustered, "/malls/" + mall + "/api/v2/admin/products").statusCode());
    JsonObject rate = admin(clustered, HttpMethod.GET, "/admin/malls/" + mall, null, 200).getJsonObject("rate");
    assertEquals("cluster", rate.getString("scope"), rate.encode());
    assertTrue(rate.getDouble("level") > 0, rate.encode());
    assertEquals(0, rate.getLong("paused_for_ms"));
  }
}
