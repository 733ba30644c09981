package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of the proxy's steps where only a mall without a token shows it: its refusal (401
 * {@code mall_not_authorized}) comes from the token step, so whatever a request meets before or after that step
 * tells the order apart — a declared body over the limit is refused first, and {@code 100 Continue} never comes
 * before the token is in hand.
 */
@Timeout(60)
class ProxyStepOrderTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx, SimulatorSettings.defaults().withRateLimitEnabled(false)));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir)
        .set("proxy.maxBodySize", "1KiB")
        .set("malls.allow", List.of("nobody"))
        .build()));
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  @Test
  void should_send_no_100_continue_when_the_mall_has_no_token() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/nobody/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");

    assertEquals(401, RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.text().contains("mall_not_authorized"), reply.text());
    assertFalse(reply.text().contains("100 Continue"), reply.text());
  }

  @Test
  void should_refuse_a_declared_body_over_the_limit_before_reading_the_token() {
    RawHttp.Reply reply = RawHttp.send(gateway.port(), "POST /malls/nobody/api/v2/admin/echo HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");

    assertEquals(413, RawHttp.status(reply.text()), reply.text());
    assertEquals(0, simulator.requests().size(), "nothing reached Cafe24");
  }
}
