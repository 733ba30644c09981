package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.RecordedRequest;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 4, end to end: Front API calls through a real gateway reach the simulated Cafe24 with the app's
 * client id (and the front key's Basic) and never with the mall's admin token; Admin API calls are unchanged. Every
 * assertion on what went upstream reads what the simulator recorded.
 */
@Timeout(60)
class FrontApiProxyTest {

  /** {@code Basic base64("sandbox-client:test-front-api-key-4e1d")}, worked out outside the code under test. */
  private static final String EXPECTED_BASIC = "Basic c2FuZGJveC1jbGllbnQ6dGVzdC1mcm9udC1hcGkta2V5LTRlMWQ=";

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  /** Configured with {@code cafe24.frontApiKey} (TestConfig's default). */
  static RunningGateway keyed;
  /** Configured without one. */
  static RunningGateway plain;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    keyed = fixture.deploy(fixture.config("", dir.resolve("keyed")).set("proxy.coalesce", true));
    plain = fixture.deploy(fixture.config("", dir.resolve("plain")).set("cafe24.frontApiKey", "")
        .set("proxy.coalesce", true));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void noFrontKeyAtTheSimulator() {
    fixture.simulator.setFrontApiKey(null);
  }

  @Test
  void should_send_the_client_id_and_no_admin_token_when_calling_the_front_api() {
    String mall = mall("fronta");
    String adminToken = fixture.install(plain, mall).getString("access_token");

    HttpResponse<Buffer> response = get(plain, mall, "/api/v2/products?limit=2", Map.of());

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(2, response.bodyAsJsonObject().getJsonArray("products").size());
    MultiMap upstream = lastRecorded(mall).headers();
    assertEquals(List.of(TestConfig.CLIENT_ID), upstream.getAll("X-Cafe24-Client-Id"));
    assertNull(upstream.get("Authorization"), "no admin bearer, and no Basic without a front key");
    assertFalse(upstream.toString().contains(adminToken), "the admin token in no header at all");
  }

  @Test
  void should_leave_admin_calls_as_they_were_when_the_front_api_is_served_too() {
    String mall = mall("admina");
    String adminToken = fixture.install(keyed, mall).getString("access_token");

    HttpResponse<Buffer> response = get(keyed, mall, "/api/v2/admin/products",
        Map.of("Authorization", "Bearer customer-token-1", "X-Cafe24-Client-Id", "someone-else"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    MultiMap upstream = lastRecorded(mall).headers();
    assertEquals(List.of("Bearer " + adminToken), upstream.getAll("Authorization"), "the caller's bearer dropped");
    assertFalse(upstream.contains("X-Cafe24-Client-Id"), "the caller's client id dropped, none added");
  }

  @Test
  void should_serve_the_front_api_when_the_mall_has_no_stored_token() {
    String mall = mall("notinstalled");

    assertEquals(200, get(plain, mall, "/api/v2/categories", Map.of()).statusCode());
    HttpResponse<Buffer> admin = get(plain, mall, "/api/v2/admin/products", Map.of());
    assertEquals("mall_not_authorized", admin.getHeader("X-Mallgate-Error"), "the Admin API still needs one");
  }

  @Test
  void should_send_basic_of_client_id_and_front_key_when_the_front_api_key_is_set() {
    fixture.simulator.setFrontApiKey(TestConfig.FRONT_API_KEY);
    String mall = mall("frontb");

    HttpResponse<Buffer> response = get(keyed, mall, "/api/v2/products", Map.of());

    assertEquals(200, response.statusCode(), response.bodyAsString());
    MultiMap upstream = lastRecorded(mall).headers();
    assertEquals(List.of(EXPECTED_BASIC), upstream.getAll("Authorization"));
    assertEquals(List.of(TestConfig.CLIENT_ID), upstream.getAll("X-Cafe24-Client-Id"));
  }

  @Test
  void should_pass_cafe24s_401_back_and_never_refresh_when_a_front_api_call_is_refused() {
    fixture.simulator.setFrontApiKey(TestConfig.FRONT_API_KEY);
    String mall = mall("frontc");
    fixture.install(plain, mall);
    int tokenRequests = fixture.simulator.tokenRequestCount();

    HttpResponse<Buffer> response = get(plain, mall, "/api/v2/products", Map.of());

    assertEquals(401, response.statusCode());
    assertEquals("No authentication scheme has been specified for this request.",
        response.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertNull(response.getHeader("X-Mallgate-Error"), "Cafe24's answer, passed on as is");
    assertEquals(tokenRequests, fixture.simulator.tokenRequestCount(), "no refresh for a Front API 401");
    assertEquals(1, recorded(mall).size(), "and no replay");
  }

  @Test
  void should_pass_the_callers_bearer_and_not_the_basic_when_a_customer_calls_the_front_api() {
    fixture.simulator.setFrontApiKey(TestConfig.FRONT_API_KEY);
    String mall = mall("frontd");
    fixture.install(keyed, mall);

    HttpResponse<Buffer> response = get(keyed, mall, "/api/v2/products",
        Map.of("Authorization", "Bearer customer-token-1"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(List.of("Bearer customer-token-1"), lastRecorded(mall).headers().getAll("Authorization"));
  }

  @Test
  void should_replace_the_callers_client_id_when_calling_the_front_api() {
    String mall = mall("fronte");

    HttpResponse<Buffer> response = get(plain, mall, "/api/v2/products",
        Map.of("X-Cafe24-Client-Id", "someone-else"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(List.of(TestConfig.CLIENT_ID), lastRecorded(mall).headers().getAll("X-Cafe24-Client-Id"));
  }

  @Test
  void should_tell_admin_from_front_by_the_exact_prefix_when_paths_look_alike() {
    String mall = mall("frontf");
    String adminToken = fixture.install(plain, mall).getString("access_token");

    get(plain, mall, "/api/v2/adminx/products", Map.of());
    MultiMap adminx = lastRecorded(mall).headers();
    assertEquals(TestConfig.CLIENT_ID, adminx.get("X-Cafe24-Client-Id"));
    assertNull(adminx.get("Authorization"), "/api/v2/adminx is the Front API");

    get(plain, mall, "/api/v2/admin", Map.of());
    assertEquals("Bearer " + adminToken, lastRecorded(mall).headers().get("Authorization"), "/api/v2/admin is admin");

    int before = recorded(mall).size();
    for (String path : List.of("/api/v2/Admin/products", "/api/v2/%61dmin/products", "/api/V2/admin/store")) {
      HttpResponse<Buffer> refused = get(plain, mall, path, Map.of());
      assertEquals(400, refused.statusCode(), path);
      assertEquals("invalid_path", refused.getHeader("X-Mallgate-Error"), path);
    }
    assertEquals(before, recorded(mall).size(), "nothing of an ambiguous path reached Cafe24");
  }

  @Test
  void should_shape_front_api_calls_by_the_mall_rate_limit_when_they_come_in_a_burst() {
    RunningGateway limited = fixture.deploy(fixture.config("", dir.resolve("limited"))
        .set("rateLimit.enabled", true).set("rateLimit.capacity", 2).set("rateLimit.perSecond", 0.05)
        .set("rateLimit.maxWait", "1ms"));
    String mall = mall("frontg");

    List<String> outcomes = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> response = get(limited, mall, "/api/v2/products", Map.of());
      outcomes.add(response.statusCode() + " " + response.getHeader("X-Mallgate-Error"));
    }

    assertEquals(List.of("200 null", "200 null", "429 rate_limited", "429 rate_limited"), outcomes);
    assertEquals(2, recorded(mall).size());
  }

  private static HttpResponse<Buffer> get(RunningGateway gateway, String mall, String apiPath,
      Map<String, String> headers) {
    var request = fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + apiPath);
    headers.forEach(request::putHeader);
    return result(request.send());
  }

  private static List<RecordedRequest> recorded(String mall) {
    return fixture.simulator.requests().stream().filter(r -> r.mall().equals(mall)).toList();
  }

  private static RecordedRequest lastRecorded(String mall) {
    List<RecordedRequest> records = recorded(mall);
    assertTrue(!records.isEmpty(), "the simulator saw no call for " + mall);
    return records.get(records.size() - 1);
  }

  /** A mall id of this run alone: the simulator and its records are shared by the class. */
  private static String mall(String prefix) {
    return prefix + System.nanoTime() % 1_000_000;
  }
}
