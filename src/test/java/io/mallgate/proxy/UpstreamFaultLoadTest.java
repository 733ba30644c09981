package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Fault;
import io.mallgate.testsupport.FaultProxy;
import io.mallgate.testsupport.Figures;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's fault proof under load: 100 requests at once (GETs and POSTs) through a {@link FaultProxy} playing one
 * fault each time. Every request ends within {@code proxy.totalTimeout} plus slack — none hangs — and the simulator
 * never sees a POST twice. The figures (requests, outcomes by status and code, p50/p99/max) go to the test output.
 */
@Timeout(90)
@Slow
class UpstreamFaultLoadTest {

  private static final int REQUESTS = 100;
  private static final long TOTAL_TIMEOUT = 2_000;
  /** What a loaded two-core machine may add to the deadline before an answer is out. */
  private static final long SLACK = 4_000;

  @TempDir
  static Path dir;
  static GatewayFixture fixture;

  @BeforeAll
  static void startSimulator() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
  }

  @AfterAll
  static void stopSimulator() {
    fixture.close();
  }

  @Test
  void should_answer_every_request_in_time_when_cafe24_is_300_ms_away() {
    Run run = run("latency 300 ms a chunk", Fault.latency(Duration.ofMillis(300)));

    run.assertAllAnsweredInTime();
    run.assertNoPostTwice();
    assertTrue(run.figures.byOutcome().getOrDefault("200", 0) > 0, "latency under the deadline still serves");
  }

  @Test
  void should_never_send_a_post_twice_when_every_connection_is_reset_as_cafe24_answers() {
    Run run = run("reset as the answer starts", Fault.resetOnResponse());

    run.assertAllAnsweredInTime();
    run.assertNoPostTwice();
    assertEquals(Map.of("502 upstream_unreachable", REQUESTS), run.figures.byOutcome());
  }

  @Test
  void should_never_send_a_post_twice_when_every_connection_is_reset_when_accepted() {
    Run run = run("reset when accepted", Fault.refuse());

    run.assertAllAnsweredInTime();
    run.assertNoPostTwice();
    run.figures.byOutcome().keySet().forEach(outcome ->
        assertEquals("502 upstream_unreachable", outcome, "a reset connection is a 502: " + run.figures.byOutcome()));
  }

  @Test
  void should_answer_504_within_the_total_timeout_when_cafe24_is_a_black_hole() {
    Run run = run("black hole", Fault.blackHole());

    run.assertAllAnsweredInTime();
    run.assertNoPostTwice();
    assertEquals(Map.of("504 upstream_timeout", REQUESTS), run.figures.byOutcome());
  }

  /** 100 requests at once — two GETs for each POST — through a fresh proxy playing {@code fault} and a fresh gateway. */
  private static Run run(String name, Fault fault) {
    try (FaultProxy proxy = result(FaultProxy.start(fixture.vertx, "127.0.0.1",
        UpstreamFaultsTest.simulatorPort(fixture)))) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve(name.replace(' ', '-')))
          .set("cafe24.baseUrl", "http://127.0.0.1:" + proxy.port() + "/{mall}")
          .set("proxy.connectTimeout", "1s")
          .set("proxy.requestTimeout", "1s")
          .set("proxy.totalTimeout", TOTAL_TIMEOUT + "ms")
          // The figures are about the faults: an open circuit would answer in their place.
          .set("breaker.failureThreshold", 10_000)
          .set("retry.backoff", "100ms"));
      fixture.install(gateway, "demo");
      proxy.set(fault);
      Figures figures = new Figures(name);
      List<String> posts = new ArrayList<>();
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String marker = "id=" + UUID.randomUUID();
        HttpRequest<Buffer> request = i % 3 == 2
            ? fixture.client.post(gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin/echo?" + marker)
            : fixture.client.get(gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin/products?" + marker);
        if (i % 3 == 2) {
          posts.add(marker);
        }
        // A hung request shows up as "no answer" rather than as a stuck test.
        request.timeout(TOTAL_TIMEOUT + SLACK + 5_000);
        long start = System.nanoTime();
        calls.add((i % 3 == 2 ? request.sendBuffer(Buffer.buffer("{\"n\":" + i + "}")) : request.send())
            .andThen(answer -> figures.record(answer, start)));
      }
      result(Future.join(calls).transform(done -> Future.succeededFuture()), 60);
      figures.print();
      result(gateway.stop());
      return new Run(figures, seenTimes(posts));
    }
  }

  /** How many times the simulator saw each of {@code markers}. */
  private static Map<String, Long> seenTimes(List<String> markers) {
    Map<String, Long> seen = new TreeMap<>();
    markers.forEach(marker -> seen.put(marker, 0L));
    fixture.simulator.requests().forEach(request -> markers.stream().filter(request.uri()::contains).findFirst()
        .ifPresent(marker -> seen.merge(marker, 1L, Long::sum)));
    return seen;
  }

  /** What one fault run produced: the callers' figures, and how often the simulator saw each POST. */
  private record Run(Figures figures, Map<String, Long> postsSeen) {

    void assertAllAnsweredInTime() {
      assertEquals(REQUESTS, figures.requests());
      assertEquals(0, figures.byOutcome().getOrDefault(Figures.NO_ANSWER, 0), "requests hung: " + figures.byOutcome());
      assertTrue(figures.max() < TOTAL_TIMEOUT + SLACK, "slowest answer " + figures.max() + " ms");
    }

    void assertNoPostTwice() {
      postsSeen.forEach((marker, times) -> assertTrue(times <= 1, "Cafe24 saw a POST " + times + " times"));
    }
  }
}
