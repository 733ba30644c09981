package io.mallgate;

import static io.mallgate.testsupport.GatewayFixture.expiringAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Storm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.eventLoops}: one server per event loop on one port, sharing the token cache, the refresh, the rate
 * queues and the breakers. The proxy asserts (tests run with {@code -ea}) that a request never continues on another
 * loop than its connection's, even when a shared service answers there: a store read or a refresh another loop
 * started, a rate slot granted on the queues' context. A request that did would fail and show here as a non-200.
 */
class EventLoopsTest {

  private static final int LOOPS = 4;

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.capture();
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  @Test
  void should_serve_a_cold_storm_on_every_loop_with_one_refresh_and_each_request_on_its_own_loop() {
    RunningGateway redisBacked = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("redis"))
        .set("server.eventLoops", LOOPS)
        // The gateway's own queue on, wide enough never to refuse: every slot is granted on the queues' context.
        .set("rateLimit.enabled", true).set("rateLimit.capacity", 100_000).set("rateLimit.perSecond", 100_000));
    assertStormServed(redisBacked, "loops-redis");
  }

  @Test
  void should_do_the_same_with_the_embedded_store_which_lives_on_one_context() {
    RunningGateway embedded = fixture.deploy(fixture.config("", dir.resolve("embedded"))
        .set("server.eventLoops", LOOPS)
        .set("rateLimit.enabled", true).set("rateLimit.capacity", 100_000).set("rateLimit.perSecond", 100_000));
    assertStormServed(embedded, "loops-file");
  }

  @Test
  void should_share_one_random_port_among_its_loops_and_never_with_another_gateway_when_the_port_is_0() {
    RunningGateway one = fixture.deploy(fixture.config("", dir.resolve("zero-1"))
        .set("server.port", 0).set("server.eventLoops", 3));
    RunningGateway two = fixture.deploy(fixture.config("", dir.resolve("zero-2"))
        .set("server.port", 0).set("server.eventLoops", 3));

    assertTrue(one.port() > 0 && two.port() > 0 && one.port() != two.port(), one.port() + " " + two.port());
    fixture.install(one, "zero-one");
    fixture.install(two, "zero-two");
    assertEquals(Map.of(200, 60), Storm.get(fixture.client, List.of(one), "/malls/zero-one/api/v2/admin/products", 60));
    assertEquals(Map.of(200, 60), Storm.get(fixture.client, List.of(two), "/malls/zero-two/api/v2/admin/products", 60));
    assertTrue(logs.threadsOf("mallgate.access", "mall=zero-one ").size() >= 2, "one port, several loops");
  }

  private static void assertStormServed(RunningGateway gateway, String mall) {
    JsonObject tokens = fixture.simulator.issueTokens(mall);
    // Expired: the first requests on every loop meet the same refresh, started by whichever came first.
    fixture.install(gateway, mall, expiringAt(tokens, Instant.now().minusSeconds(60)));
    int reuse = fixture.simulator.refreshReuseCount();

    Map<Integer, Integer> statuses = Storm.get(fixture.client, List.of(gateway), "/malls/" + mall
        + "/api/v2/admin/products", 400);

    assertEquals(Map.of(200, 400), statuses);
    assertEquals(1, fixture.simulator.refreshCount(mall), "one redemption for all loops");
    assertEquals(reuse, fixture.simulator.refreshReuseCount());
    Set<String> serving = logs.threadsOf("mallgate.access", "mall=" + mall + " ");
    // Not == LOOPS: the test's Vert.x has 2 event-loop threads per core, shared with the simulator's and the
    // gateway's own contexts, and two loops may land on one thread. One loop would serve everything on one thread.
    assertTrue(serving.size() >= 2, "the callers' connections spread over the loops: " + serving);
  }
}
