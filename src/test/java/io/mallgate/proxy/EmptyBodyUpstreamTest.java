package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.mallgate.token.TokenResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Cafe24 sees of a request with no body: a GET goes without a length (no buffer copied, no
 * {@code Content-Length: 0} on a request that never has content); a POST or PUT with none says
 * {@code Content-Length: 0}, whether the caller sent no length or an empty chunked body (RFC 9110 §8.6).
 */
@Timeout(60)
class EmptyBodyUpstreamTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static RunningGateway gateway;
  static HttpClient http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Cafe24Simulator simulator = new Cafe24Simulator(vertx, SimulatorSettings.defaults().withRateLimitEnabled(false));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir).build()));
    result(gateway.gateway().tokens().install("demo", TokenResponse.fromJson(simulator.issueTokens("demo"))));
    http = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  /** The headers the upstream's echo route saw for a request with no body. */
  private static JsonObject upstreamHeaders(HttpMethod method, boolean chunked) {
    int[] status = {0};
    JsonObject echo = result(http.request(method, gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin/echo/x")
        .compose(request -> request.setChunked(chunked).send())
        .compose(response -> {
          status[0] = response.statusCode();
          return response.body();
        })).toJsonObject();
    assertEquals(200, status[0], echo.encode());
    return echo.getJsonObject("headers");
  }

  @Test
  void should_send_a_get_without_a_length() {
    JsonObject headers = upstreamHeaders(HttpMethod.GET, false);
    assertNull(headers.getString("content-length"), headers.encode());
    assertNull(headers.getString("transfer-encoding"), headers.encode());
  }

  @Test
  void should_send_content_length_zero_when_a_post_has_no_body() {
    JsonObject headers = upstreamHeaders(HttpMethod.POST, false);
    assertEquals("0", headers.getString("content-length"), headers.encode());
  }

  @Test
  void should_send_content_length_zero_when_a_put_has_an_empty_chunked_body() {
    JsonObject headers = upstreamHeaders(HttpMethod.PUT, true);
    assertEquals("0", headers.getString("content-length"), headers.encode());
    assertNull(headers.getString("transfer-encoding"), "the caller's framing is hop-by-hop: " + headers.encode());
  }
}
