package io.mallgate.admin;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AdminRoutesTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static RunningGateway gateway;
  static RunningGateway adminOff;
  static WebClient client;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.capture();
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx, SimulatorSettings.defaults()));
    result(simulator.start(0));
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir.resolve("a")).build()));
    adminOff = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir.resolve("b"))
        .set("admin.token", "").build()));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
    logs.close();
  }

  private static HttpRequest<Buffer> admin(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, gateway.port(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN);
  }

  private static HttpResponse<Buffer> importTokens(String mall, JsonObject tokens) {
    return result(admin(io.vertx.core.http.HttpMethod.PUT, "/admin/malls/" + mall + "/token").sendJsonObject(tokens));
  }

  @Test
  void should_import_and_then_proxy_with_the_imported_token() {
    JsonObject tokens = simulator.issueTokens("imp1");
    HttpResponse<Buffer> imported = importTokens("imp1", tokens);
    assertEquals(200, imported.statusCode(), imported.bodyAsString());
    HttpResponse<Buffer> products = result(client.get(gateway.port(), "127.0.0.1",
        "/malls/imp1/api/v2/admin/products").send());
    assertEquals(200, products.statusCode(), products.bodyAsString());
  }

  @Test
  void should_show_status_without_secrets_when_mall_has_a_token() {
    String access = "CANARYaccess0123456789abcdef";
    String refresh = "CANARYrefresh0123456789abcdef";
    JsonObject tokens = simulator.issueTokens("imp2").put("access_token", access).put("refresh_token", refresh);
    assertEquals(200, importTokens("imp2", tokens).statusCode());

    HttpResponse<Buffer> status = result(admin(io.vertx.core.http.HttpMethod.GET, "/admin/malls/imp2").send());
    assertEquals(200, status.statusCode());
    JsonObject body = status.bodyAsJsonObject();
    assertTrue(body.getBoolean("has_token"));
    assertEquals("CANA…(" + access.length() + ")", body.getJsonObject("access_token").getString("preview"));
    long left = body.getJsonObject("access_token").getLong("seconds_left");
    assertTrue(left > 7100 && left <= 7200, "2 hours left, read in Korea time: " + left);
    assertTrue(body.getJsonObject("refresh_token").getLong("seconds_left") > 13 * 86400);
    assertTrue(body.getJsonObject("access_token").getString("expires_at").endsWith("+09:00"));
    assertFalse(status.bodyAsString().contains(access));
    assertFalse(status.bodyAsString().contains(refresh));
    assertTrue(logs.linesContaining(access, refresh).isEmpty(), logs.linesContaining(access, refresh).toString());
  }

  @Test
  void should_show_install_url_when_mall_has_no_token() {
    JsonObject body = result(admin(io.vertx.core.http.HttpMethod.GET, "/admin/malls/unknown1").send()).bodyAsJsonObject();
    assertFalse(body.getBoolean("has_token"));
    assertTrue(body.getString("install_url").endsWith("/oauth/install?mall_id=unknown1"));
  }

  @Test
  void should_refuse_import_and_name_the_field_when_token_response_is_incomplete() {
    HttpResponse<Buffer> response = importTokens("imp3", new JsonObject().put("access_token", "CANARYxyz0123456789"));
    assertEquals(400, response.statusCode());
    assertEquals("invalid_token_response", response.getHeader("X-Mallgate-Error"));
    assertTrue(response.bodyAsString().contains("refresh_token"), response.bodyAsString());
    assertFalse(response.bodyAsString().contains("CANARYxyz0123456789"));
  }

  @Test
  void should_refuse_import_when_a_token_could_split_a_header() {
    JsonObject tokens = simulator.issueTokens("imp6").put("access_token", "abc\r\nX-Injected: 1");
    HttpResponse<Buffer> response = importTokens("imp6", tokens);
    assertEquals(400, response.statusCode());
    assertEquals("invalid_token_response", response.getHeader("X-Mallgate-Error"));
    assertFalse(response.bodyAsString().contains("X-Injected"));
  }

  @Test
  void should_keep_the_mall_when_cafe24_refuses_the_revocation_for_another_reason() {
    RunningGateway wrongSecret = result(RunningGateway.deploy(vertx,
        TestConfig.forSimulator(simulator.baseUrl(), "", dir.resolve("c")).set("cafe24.clientSecret", "wrong").build()));
    assertEquals(200, result(client.put(wrongSecret.port(), "127.0.0.1", "/admin/malls/imp7/token")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN)
        .sendJsonObject(simulator.issueTokens("imp7"))).statusCode());
    HttpResponse<Buffer> deleted = result(client.delete(wrongSecret.port(), "127.0.0.1", "/admin/malls/imp7")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send());
    assertEquals(503, deleted.statusCode(), deleted.bodyAsString());
    assertEquals("cafe24_client_rejected", deleted.getHeader("X-Mallgate-Error"));
    assertTrue(result(client.get(wrongSecret.port(), "127.0.0.1", "/admin/malls/imp7")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send()).bodyAsJsonObject()
        .getBoolean("has_token"), "a refused client secret (invalid_grant, Invalid client_secret) does not prove the tokens dead: the mall is kept");
  }

  @Test
  void should_refuse_import_when_body_is_not_json() {
    HttpResponse<Buffer> response = result(admin(io.vertx.core.http.HttpMethod.PUT, "/admin/malls/imp4/token")
        .sendBuffer(Buffer.buffer("access_token=abc")));
    assertEquals(400, response.statusCode());
    assertEquals("invalid_token_response", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_revoke_at_cafe24_and_forget_when_deleting_a_mall() {
    JsonObject tokens = simulator.issueTokens("imp5");
    assertEquals(200, importTokens("imp5", tokens).statusCode());

    HttpResponse<Buffer> deleted = result(admin(io.vertx.core.http.HttpMethod.DELETE, "/admin/malls/imp5").send());
    assertEquals(200, deleted.statusCode(), deleted.bodyAsString());
    assertTrue(deleted.bodyAsJsonObject().getBoolean("revoked"));

    HttpResponse<Buffer> direct = result(client.getAbs(simulator.baseUrl().replace("{mall}", "imp5")
        + "/api/v2/admin/products").putHeader("Authorization", "Bearer " + tokens.getString("access_token")).send());
    assertEquals(401, direct.statusCode(), "the revoked token is dead at Cafe24");
    JsonObject status = result(admin(io.vertx.core.http.HttpMethod.GET, "/admin/malls/imp5").send()).bodyAsJsonObject();
    assertFalse(status.getBoolean("has_token"));
  }

  @Test
  void should_answer_mall_not_found_when_deleting_an_unknown_mall() {
    HttpResponse<Buffer> response = result(admin(io.vertx.core.http.HttpMethod.DELETE, "/admin/malls/unknown2").send());
    assertEquals(404, response.statusCode());
    assertEquals("mall_not_found", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_answer_admin_unauthorized_when_token_is_missing_or_wrong() {
    HttpResponse<Buffer> missing = result(client.get(gateway.port(), "127.0.0.1", "/admin/malls/imp1").send());
    assertEquals(401, missing.statusCode());
    assertEquals("admin_unauthorized", missing.getHeader("X-Mallgate-Error"));
    HttpResponse<Buffer> wrong = result(client.get(gateway.port(), "127.0.0.1", "/admin/malls/imp1")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN + "x").send());
    assertEquals(401, wrong.statusCode());
  }

  @Test
  void should_answer_not_found_when_admin_api_is_off() {
    HttpResponse<Buffer> response = result(client.get(adminOff.port(), "127.0.0.1", "/admin/malls/imp1")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN).send());
    assertEquals(404, response.statusCode());
    assertEquals("not_found", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_answer_invalid_mall_id_when_admin_path_names_a_bad_mall() {
    HttpResponse<Buffer> response = result(admin(io.vertx.core.http.HttpMethod.GET, "/admin/malls/Bad.Mall").send());
    assertEquals(400, response.statusCode());
    assertEquals("invalid_mall_id", response.getHeader("X-Mallgate-Error"));
  }
}
