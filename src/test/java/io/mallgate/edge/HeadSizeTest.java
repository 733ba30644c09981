package io.mallgate.edge;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.mallgate.token.TokenResponse;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.maxHeaderSize} bounds the request head: the headers, and the request line on its own. */
@Timeout(60)
class HeadSizeTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Cafe24Simulator simulator = Canaries.watch(new Cafe24Simulator(vertx,
        SimulatorSettings.defaults().withRateLimitEnabled(false)));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir)
        .set("server.maxHeaderSize", "2KiB")
        .build()));
    result(gateway.gateway().tokens().install("demo", TokenResponse.fromJson(simulator.issueTokens("demo"))));
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  @Test
  void should_proxy_when_the_head_fits_the_configured_size() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo?product_no="
        + "1,".repeat(400) + "2 HTTP/1.1\r\nHost: x\r\nX-Filler: " + "f".repeat(1_000) + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.status(reply.text()), reply.text());
  }

  @Test
  void should_answer_431_and_close_when_the_headers_pass_the_configured_size() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nX-Filler: " + "f".repeat(3_000) + "\r\n\r\n");
    assertEquals(431, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.text().contains("\"gateway_code\":\"invalid_request\""), reply.text());
    assertTrue(reply.closed());
  }

  @Test
  void should_answer_414_and_close_when_the_request_line_passes_the_configured_size() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "GET /malls/demo/api/v2/admin/echo?product_no="
        + "1,".repeat(1_500) + "2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(414, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.closed());
  }
}
