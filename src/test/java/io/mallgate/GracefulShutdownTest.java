package io.mallgate;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, item 6, on a real process and real signals: SIGTERM stops accepting, lets every request in flight finish
 * (a refresh in flight too, its lock released), and exits 0; a second signal stops at once.
 */
@Timeout(150)
@Slow
class GracefulShutdownTest {

  private static final int IN_FLIGHT = 40;

  @TempDir
  Path dir;

  @Test
  void should_finish_every_request_in_flight_and_exit_0_when_sigterm_arrives_under_load() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String mall = "drain" + System.nanoTime() % 1_000_000;
      installThroughAnotherInstance(fixture, mall);
      try (GatewayProcess gateway = startProcess(fixture, "20s")) {
        List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
          calls.add(fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin/slow?ms=3000")
              .send());
        }
        await("every call reached Cafe24").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> slowCallsReceived(fixture, mall) == IN_FLIGHT);
        long signalled = System.nanoTime();
        gateway.terminate();

        await("the gateway stops accepting").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> !gateway.accepting());
        long stoppedAccepting = millisSince(signalled);
        boolean stillDraining = calls.stream().anyMatch(call -> !call.isComplete());
        result(Future.join(calls), 30);
        int exit = gateway.awaitExit(30);
        long exited = millisSince(signalled);

        Map<String, Integer> outcomes = new TreeMap<>();
        calls.forEach(call -> outcomes.merge(call.succeeded()
            ? call.result().statusCode() + " " + call.result().bodyAsString() : call.cause().toString(), 1,
            Integer::sum));
        System.out.printf("[shutdown] SIGTERM with %d calls in flight: refused new connections after %d ms, "
            + "exited %d after %d ms; outcomes %s%n", IN_FLIGHT, stoppedAccepting, exit, exited, outcomes);
        assertTrue(stillDraining, "calls were still in flight when the gateway stopped accepting");
        assertEquals(Map.of("200 late", IN_FLIGHT), outcomes, "every call in flight was answered in full");
        assertEquals(0, exit, gateway.output());
        assertTrue(gateway.output().contains("SIGTERM received: stopping gracefully"), gateway.output());
        assertTrue(gateway.output().contains("Mallgate stopped"), gateway.output());
      }
    }
  }

  @Test
  void should_store_the_new_pair_and_release_the_lock_when_sigterm_arrives_during_a_refresh() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String mall = "refresh" + System.nanoTime() % 1_000_000;
      RunningGateway other = installThroughAnotherInstance(fixture, mall);
      // Stored as expired, so the next call must refresh; Cafe24 takes 2 s to answer that refresh.
      fixture.install(other, mall, GatewayFixture.expiringAt(fixture.simulator.issueTokens(mall),
          Instant.now().minusSeconds(60)));
      fixture.simulator.faults().delayNext(1, Duration.ofSeconds(2));
      try (GatewayProcess gateway = startProcess(fixture, "20s")) {
        Future<HttpResponse<Buffer>> call = fixture.client.get(gateway.port(), "127.0.0.1",
            "/malls/" + mall + "/api/v2/admin/products").send();
        await("the refresh reached Cafe24").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> fixture.simulator.refreshAttempts(mall) == 1);
        gateway.terminate();

        HttpResponse<Buffer> response = result(call, 30);
        assertEquals(0, gateway.awaitExit(30), gateway.output());
        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertEquals(1, fixture.simulator.refreshCount(mall));
        assertNull(fixture.admin(other, HttpMethod.GET, "/admin/malls/" + mall).bodyAsJsonObject()
            .getString("refresh_lock_holder"), "the refresh lock was released");
        // The pair Cafe24 issued was stored: another instance carries on with it, and nobody reuses a dead one.
        assertEquals(200, fixture.get(other, "/malls/" + mall + "/api/v2/admin/products").statusCode());
        assertEquals(1, fixture.simulator.refreshCount(mall));
        assertEquals(0, fixture.simulator.refreshReuseCount());
      }
    }
  }

  @Test
  void should_stop_at_once_when_a_second_signal_arrives_during_the_drain() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String mall = "halt" + System.nanoTime() % 1_000_000;
      installThroughAnotherInstance(fixture, mall);
      try (GatewayProcess gateway = startProcess(fixture, "60s")) {
        Future<HttpResponse<Buffer>> call = fixture.client.get(gateway.port(), "127.0.0.1",
            "/malls/" + mall + "/api/v2/admin/slow?ms=30000").send();
        await("the call reached Cafe24").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> slowCallsReceived(fixture, mall) == 1);
        gateway.terminate();
        await("the gateway stops accepting").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> !gateway.accepting());
        assertTrue(gateway.alive(), "draining, the gateway waits for the call in flight");

        long second = System.nanoTime();
        gateway.terminate();
        int exit = gateway.awaitExit(10);
        System.out.printf("[shutdown] second SIGTERM: exited %d after %d ms%n", exit, millisSince(second));
        assertEquals(128 + 15, exit);
        boolean answered = result(call.map(response -> true).otherwise(false), 10);
        assertFalse(answered, "the call in flight was cut");
      }
    }
  }

  /** A gateway process on the shared Redis, in front of the fixture's simulator. */
  private GatewayProcess startProcess(GatewayFixture fixture, String grace) throws java.io.IOException {
    int port = TestConfig.freePort();
    TestConfig config = fixture.config(RedisServer.shared().url(), dir.resolve("process"))
        .set("server.port", port)
        .set("server.shutdownGrace", grace);
    return GatewayProcess.start(config, port, Files.createDirectories(dir.resolve("child")));
  }

  /** The mall's tokens go to the shared Redis through an in-process gateway, as an install on another instance. */
  private RunningGateway installThroughAnotherInstance(GatewayFixture fixture, String mall) {
    RunningGateway other = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("other")));
    fixture.install(other, mall);
    return other;
  }

  private static long slowCallsReceived(GatewayFixture fixture, String mall) {
    return fixture.simulator.requests().stream()
        .filter(request -> mall.equals(request.mall()) && request.uri().contains("/slow")).count();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
