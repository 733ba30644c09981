package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.mallgate.token.TokenResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error code the proxy route answers, in Cafe24's envelope, and hostile paths that never reach Cafe24. */
@Timeout(60)
@Slow
class ProxyErrorsTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static RunningGateway gateway;
  static RunningGateway unreachable;
  static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx,
        SimulatorSettings.defaults().withRateLimitEnabled(false)));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir.resolve("a"))
        .set("proxy.maxBodySize", "1KiB")
        .set("proxy.requestTimeout", "500ms")
        .set("malls.allow", List.of("demo", "nobody"))
        .build()));
    result(gateway.gateway().tokens().install("demo", TokenResponse.fromJson(simulator.issueTokens("demo"))));
    String closedPort = "http://127.0.0.1:" + TestConfig.freePort() + "/{mall}";
    unreachable = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(closedPort, "", dir.resolve("b")).build()));
    result(unreachable.gateway().tokens().install("demo", TokenResponse.fromJson(simulator.issueTokens("demo"))));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  private static void assertGatewayError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(code, response.getHeader("X-Mallgate-Error"));
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(status, error.getInteger("code"));
    assertEquals(code, error.getJsonObject("more_info").getString("gateway_code"));
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
  }

  private static HttpResponse<Buffer> get(RunningGateway target, String uri) {
    return result(client.get(target.port(), "127.0.0.1", uri).send());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "OPTIONS", "CONNECT", "PROPFIND"})
  void should_answer_method_not_allowed_before_any_token_when_the_method_is_not_forwarded(String method) {
    int before = simulator.requests().size();
    // "nobody" has no token: a 405 rather than mall_not_authorized shows the method is refused before a token read.
    for (String mall : List.of("demo", "nobody")) {
      HttpResponse<Buffer> response = result(client.request(HttpMethod.valueOf(method), gateway.port(), "127.0.0.1",
          "/malls/" + mall + "/api/v2/admin/products").send());
      assertGatewayError(response, 405, "method_not_allowed");
      assertEquals("DELETE, GET, HEAD, PATCH, POST, PUT", response.getHeader("Allow"));
    }
    assertEquals(before, simulator.requests().size(), "nothing reached Cafe24");
  }

  @Test
  void should_answer_invalid_mall_id_when_mall_is_not_a_dns_label() {
    assertGatewayError(get(gateway, "/malls/Demo/api/v2/admin/products"), 400, "invalid_mall_id");
  }

  @Test
  void should_answer_invalid_path_when_path_reaches_oauth() {
    assertGatewayError(get(gateway, "/malls/demo/api/v2/oauth/token"), 400, "invalid_path");
    assertGatewayError(get(gateway, "/malls/demo/other"), 400, "invalid_path");
  }

  @Test
  void should_answer_mall_not_authorized_with_install_url_when_no_token_is_stored() {
    HttpResponse<Buffer> response = get(gateway, "/malls/nobody/api/v2/admin/products");
    assertGatewayError(response, 401, "mall_not_authorized");
    assertTrue(response.bodyAsString().contains("/oauth/install?mall_id=nobody"), response.bodyAsString());
  }

  @Test
  void should_answer_mall_not_allowed_when_mall_is_outside_the_allow_list() {
    assertGatewayError(get(gateway, "/malls/stranger/api/v2/admin/products"), 403, "mall_not_allowed");
  }

  @Test
  void should_answer_not_found_when_no_route_matches() {
    assertGatewayError(get(gateway, "/nothing/here"), 404, "not_found");
  }

  @Test
  void should_answer_body_too_large_before_reading_when_content_length_is_over_the_limit() {
    int before = simulator.requests().size();
    String response = RawHttp.exchange(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"a\":");
    assertEquals(413, RawHttp.status(response), response);
    assertTrue(response.contains("body_too_large"));
    assertEquals(before, simulator.requests().size());
  }

  @Test
  void should_answer_body_too_large_when_chunked_body_grows_over_the_limit() {
    int before = simulator.requests().size();
    String response = RawHttp.exchange(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + "a".repeat(2048) + "\r\n0\r\n\r\n");
    assertEquals(413, RawHttp.status(response), response);
    assertTrue(response.contains("body_too_large"));
    assertEquals(before, simulator.requests().size(), "a body over the replay buffer's size never starts upstream");
  }

  @Test
  void should_answer_upstream_timeout_when_cafe24_is_too_slow() {
    assertGatewayError(get(gateway, "/malls/demo/api/v2/admin/slow"), 504, "upstream_timeout");
  }

  @Test
  void should_answer_upstream_unreachable_when_nothing_listens() {
    assertGatewayError(get(unreachable, "/malls/demo/api/v2/admin/products"), 502, "upstream_unreachable");
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.com#", "evil.com%23", "a.b", "127.0.0.1", "m:8080", "%2e%2e", "%2F", "..%2f",
      "..", ".", "%00", "DEMO", "Demo", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void should_never_reach_upstream_when_mall_id_is_hostile(String mall) {
    assertNeverForwarded("/malls/" + mall + "/api/v2/admin/echo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/malls/demo//api/v2/admin/echo", "/malls/demo/api/v2/admin/%2e%2e/echo",
      "/malls/demo/api/v2/admin/..%2fecho", "/malls/demo/api/v2/admin%2Fecho", "/malls/demo/api/v2/%00/echo",
      "/malls/demo/api/../api/v2/admin/echo", "/malls/demo/api/v2/oauth/token", "/malls/demo/api/v2/%6fauth/token",
      "/malls/x/../demo/api/v2/admin/echo", "/malls/demo/api/v2/admin/echo/..", "/malls//demo/api/v2/admin/echo",
      "/malls/demo/api/v2/oauth;x/token", "/malls/demo/api/v2/admin/..;/..;/v2/oauth/token",
      "/malls/demo/api/v2/admin/%c0%ae%c0%ae/echo", "/malls/demo/api/v2/admin/echo%3bx",
      "/malls/demo/api/v2/admin/echo#frag", "/malls/demo/api/v2/admin/\u00e9cho", "/malls/demo/api/v2/admin/\u001b[31m"})
  void should_never_reach_upstream_when_path_is_hostile(String path) {
    assertNeverForwarded(path);
  }

  private static void assertNeverForwarded(String path) {
    int before = simulator.requests().size();
    String response = RawHttp.exchange(gateway.port(), RawHttp.get(path));
    int status = RawHttp.status(response);
    assertTrue(status >= 400 && status < 500, path + " -> " + response);
    assertEquals(before, simulator.requests().size(), path + " reached the upstream");
  }

  @Test
  void should_refuse_and_close_when_transfer_encoding_is_not_exactly_chunked() {
    int before = simulator.requests().size();
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(400, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.closed(), "the connection must close: " + reply.text());
    assertEquals(1, reply.text().split("HTTP/1.1 ", -1).length - 1, "the pipelined request is never served");
    assertEquals(before, simulator.requests().size());
  }

  @Test
  void should_close_the_connection_when_a_declared_body_over_the_limit_is_refused() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 5000\r\n\r\n" + "a".repeat(5000)
        + "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(413, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.closed(), "the unread body must not be taken for a request");
    assertEquals(1, reply.text().split("HTTP/1.1 ", -1).length - 1, reply.text());
  }

  @Test
  void should_close_the_connection_when_a_chunked_body_grows_over_the_limit() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + "a".repeat(2048) + "\r\n0\r\n\r\n");
    assertEquals(413, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.closed(), "no hanging connection after a 413");
  }

  @Test
  void should_send_no_100_continue_when_the_request_is_refused() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/Bad.Mall/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
    assertEquals(400, RawHttp.status(reply.text()), reply.text());
    assertTrue(!reply.text().contains("100 Continue"), reply.text());
    RawHttp.Reply tooBig = RawHttp.send(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    assertEquals(413, RawHttp.status(tooBig.text()), tooBig.text());
  }

  @Test
  void should_send_100_continue_and_then_proxy_when_the_request_is_admitted() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
    assertTrue(reply.text().startsWith("HTTP/1.1 100 Continue"), reply.text());
    assertTrue(reply.text().contains("HTTP/1.1 200 OK"), reply.text());
  }

  @Test
  void should_answer_invalid_request_when_host_is_missing() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\n\r\n");
    assertEquals(400, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.text().contains("invalid_request"), reply.text());
  }

  @Test
  void should_answer_in_the_envelope_when_the_http_codec_refuses_the_request() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nX-Huge: " + "h".repeat(20_000) + "\r\n\r\n");
    assertEquals(431, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.text().contains("\"gateway_code\":\"invalid_request\""), reply.text());
    assertTrue(reply.closed());
  }

  @Test
  void should_not_upgrade_to_h2c_when_a_caller_asks() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
        + "Connection: close\r\n\r\n");
    assertEquals(200, RawHttp.status(reply.text()), reply.text());
  }

  @Test
  void should_refuse_when_content_length_and_transfer_encoding_both_arrive() {
    String response = RawHttp.exchange(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(400, RawHttp.status(response), response);
    assertEquals(1, response.split("HTTP/1.1 ", -1).length - 1, "exactly one response, connection closed: " + response);
  }

  @Test
  void should_refuse_when_two_content_lengths_arrive() {
    String response = RawHttp.exchange(gateway.port(), "POST /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
    assertEquals(400, RawHttp.status(response), response);
  }
}
