package io.mallgate.edge;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code server.publicPort}: the internet-facing port serves install, callback, webhooks and liveness, and nothing
 * that injects a token or shows the gateway's insides; the main port keeps every route.
 */
@Timeout(60)
class PublicListenerTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults());
    gateway = fixture.deploy(fixture.config("", dir).set("server.publicPort", TestConfig.freePort()));
    fixture.install(gateway, "shop");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_serve_every_route_on_the_main_port_and_the_public_ones_on_the_public_port() {
    assertEquals(200, fixture.get(gateway, "/malls/shop/api/v2/admin/products").statusCode());
    assertEquals(200, onPublic(HttpMethod.GET, "/health/live").statusCode());
    assertEquals(302, onPublic(HttpMethod.GET, "/oauth/install?mall_id=shop").statusCode());
    // Reaches the webhook route (which then judges the delivery), not the public door's 404.
    assertNotEquals(404, onPublic(HttpMethod.POST, "/webhook").statusCode());
    assertEquals(400, onPublic(HttpMethod.GET, "/oauth/callback?code=x&state=forged").statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/malls/shop/api/v2/admin/products", "/admin/malls", "/metrics", "/health/ready",
      "/webhook/../malls/shop/api/v2/admin/products", "/oauth/install/../../malls/shop/api/v2/admin/products",
      "//malls/shop/api/v2/admin/products", "/webhook/", "/Webhook", "/oauth/%69nstall", "/"})
  void should_answer_not_found_on_the_public_port_when_the_path_is_not_public(String path) {
    HttpResponse<Buffer> response = onPublic(HttpMethod.GET, path);
    assertEquals(404, response.statusCode(), path + " → " + response.bodyAsString());
    assertEquals("not_found", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_not_forward_a_raw_dot_segment_path_on_the_public_port() throws Exception {
    String answer = RawHttp.exchange(gateway.publicPort(),
        "GET /webhook/%2e%2e/malls/shop/api/v2/admin/products HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals("HTTP/1.1 404", answer.substring(0, 12), answer);
  }

  private static HttpResponse<Buffer> onPublic(HttpMethod method, String uri) {
    return result(fixture.client.request(method, gateway.publicPort(), "127.0.0.1", uri)
        .followRedirects(false).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")));
  }
}
