package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 6, through a real gateway: a mall over its bound of calls in flight is answered as Cafe24 answers a
 * mall called too hard (429 {@code rate_limited}, with a {@code Retry-After} from the mall's rate), so callers back
 * off; only the gateway's own bound is 503 {@code overloaded}.
 */
@Timeout(60)
@Slow
class ConcurrencyBoundsEndToEndTest {

  /** Held by the simulator long enough for the next request to meet it in flight. */
  private static final String SLOW = "/api/v2/admin/slow?ms=2000";

  @TempDir
  Path dir;

  @Test
  void should_answer_429_rate_limited_with_the_malls_drain_as_retry_after_when_its_calls_in_flight_reach_the_bound() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      // Two calls in flight at most; a bucket of 2 calls draining one per 2 s, paced at 9 a second.
      RunningGateway gateway = fixture.deploy(config(fixture, "mall").set("proxy.maxConcurrentPerMall", 2)
          .set("rateLimit.capacity", 2).set("rateLimit.perSecond", 0.5).set("rateLimit.maxPerSecond", 9));
      String mall = newMall("bound");
      String other = newMall("free");
      fixture.install(gateway, mall);
      fixture.install(gateway, other);
      List<Future<HttpResponse<Buffer>>> held = List.of(send(fixture, gateway, mall), send(fixture, gateway, mall));
      awaitArrivals(fixture, mall, 2);

      HttpResponse<Buffer> refused = fixture.get(gateway, "/malls/" + mall + SLOW);

      assertEquals(429, refused.statusCode(), refused.bodyAsString());
      assertEquals("rate_limited", refused.getHeader("X-Mallgate-Error"));
      // Both calls fill the bucket of 2, which drains one call per 2 s: the next call of the mall goes in ~4 s.
      assertEquals("4", refused.getHeader("Retry-After"));
      assertEquals(200, fixture.get(gateway, "/malls/" + other + "/api/v2/admin/products").statusCode(),
          "another mall is not held by this mall's bound");
      for (Future<HttpResponse<Buffer>> call : held) {
        assertEquals(200, result(call).statusCode());
      }
    }
  }

  @Test
  void should_answer_503_overloaded_with_retry_after_1_when_the_gateways_calls_in_flight_reach_its_bound() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway gateway = fixture.deploy(config(fixture, "total").set("proxy.maxConcurrent", 2));
      List<String> malls = List.of(newMall("one"), newMall("two"), newMall("three"));
      malls.forEach(mall -> fixture.install(gateway, mall));
      List<Future<HttpResponse<Buffer>>> held = List.of(send(fixture, gateway, malls.get(0)),
          send(fixture, gateway, malls.get(1)));
      awaitArrivals(fixture, malls.get(0), 1);
      awaitArrivals(fixture, malls.get(1), 1);

      HttpResponse<Buffer> refused = fixture.get(gateway, "/malls/" + malls.get(2) + SLOW);

      assertEquals(503, refused.statusCode(), refused.bodyAsString());
      assertEquals("overloaded", refused.getHeader("X-Mallgate-Error"));
      assertEquals("1", refused.getHeader("Retry-After"));
      for (Future<HttpResponse<Buffer>> call : held) {
        assertEquals(200, result(call).statusCode());
      }
    }
  }

  private TestConfig config(GatewayFixture fixture, String name) {
    return fixture.config("", dir.resolve(name)).set("rateLimit.enabled", true);
  }

  private static Future<HttpResponse<Buffer>> send(GatewayFixture fixture, RunningGateway gateway, String mall) {
    return fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + SLOW).send();
  }

  /** Until the simulator has received {@code count} calls of the mall: then they are in flight at the gateway. */
  private static void awaitArrivals(GatewayFixture fixture, String mall, int count) {
    await(count + " calls of " + mall + " at the simulator")
        .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> fixture.simulator.requests().stream().filter(request -> request.mall().equals(mall))
            .count() >= count);
  }
}
