package io.mallgate;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.token.TokenResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway on a real Redis: tokens outlive a gateway, and Redis trouble is a clean 503 that heals by itself. */
@Timeout(60)
class RedisGatewayTest {

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx,
        SimulatorSettings.defaults().withRateLimitEnabled(false)));
    result(simulator.start(0));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  private static HttpResponse<Buffer> products(RunningGateway gateway, String mall) {
    return result(client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin/products").send());
  }

  @Test
  void should_keep_tokens_when_gateway_restarts_on_redis() {
    String mall = "restart-" + System.nanoTime() % 100000;
    TestConfig config = TestConfig.forSimulator(simulator.baseUrl(), RedisServer.shared().url(), dir);
    RunningGateway first = result(RunningGateway.deploy(vertx, config.build()));
    result(first.gateway().tokens().install(mall, TokenResponse.fromJson(simulator.issueTokens(mall))));
    assertEquals(200, products(first, mall).statusCode());
    result(first.stop());

    RunningGateway second = result(RunningGateway.deploy(vertx, config.build()));
    HttpResponse<Buffer> response = products(second, mall);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    result(second.stop());
  }

  @Test
  void should_answer_token_store_unavailable_and_recover_when_redis_stops_and_returns() {
    RedisServer redis = RedisServer.dedicated();
    try {
      RunningGateway gateway = result(RunningGateway.deploy(vertx,
          TestConfig.forSimulator(simulator.baseUrl(), redis.url(), dir)
              .set("redis.commandTimeout", "500ms")
              .set("tokens.cacheTtl", "100ms")
              .build()));
      result(gateway.gateway().tokens().install("steady", TokenResponse.fromJson(simulator.issueTokens("steady"))));

      redis.stop();
      HttpResponse<Buffer> down = products(gateway, "cold");
      assertEquals(503, down.statusCode(), down.bodyAsString());
      assertEquals("token_store_unavailable", down.getHeader("X-Mallgate-Error"));

      redis.start(); // same port, empty: the test server keeps nothing on disk
      HttpResponse<Buffer> back = products(gateway, "cold");
      assertEquals("mall_not_authorized", back.getHeader("X-Mallgate-Error"), "the store answers again");
      result(gateway.gateway().tokens().install("steady", TokenResponse.fromJson(simulator.issueTokens("steady"))));
      assertEquals(200, products(gateway, "steady").statusCode());
      result(gateway.stop());
    } finally {
      redis.close();
    }
  }
}
