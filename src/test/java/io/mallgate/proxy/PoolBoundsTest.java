package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy.poolWaitQueue}: a full wait queue is the gateway's 503 {@code overloaded}, and never retried. */
@Timeout(60)
class PoolBoundsTest {

  @TempDir
  Path dir;

  @Test
  void should_answer_overloaded_without_retrying_when_the_pool_wait_queue_is_full() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir)
          .set("proxy.poolSize", 1)
          .set("proxy.poolWaitQueue", 1));
      fixture.install(gateway, "demo");

      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(fixture.client.get(gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin/slow?ms=300").send());
      }
      result(Future.join(calls), 30);

      Map<String, Integer> outcomes = new TreeMap<>();
      calls.forEach(call -> outcomes.merge(call.result().statusCode() + " "
          + call.result().getHeader("X-Mallgate-Error"), 1, Integer::sum));
      long served = calls.stream().filter(call -> call.result().statusCode() == 200).count();
      long sent = fixture.simulator.requests().stream().filter(request -> request.uri().contains("/slow")).count();
      System.out.printf("[pool] 6 calls at once, 1 connection, wait queue 1: %s; Cafe24 saw %d%n", outcomes, sent);
      assertTrue(served >= 1, "the connection was used: " + outcomes);
      assertEquals(6 - served, (long) outcomes.getOrDefault("503 overloaded", 0), outcomes.toString());
      assertEquals(served, sent, "a call refused for a full queue was never sent again");
      calls.stream().filter(call -> call.result().statusCode() == 503)
          .forEach(call -> assertEquals("1", call.result().getHeader("Retry-After")));
    }
  }
}
