package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.maxInAnySecond;
import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.RealTime;
import io.mallgate.testsupport.Slow;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, points 6 and 7, through real gateways in front of the simulator (Cafe24's bucket of 40 draining 2 a
 * second): a burst of 120 requests on one mall at once, with the shipped rate settings. Cafe24 must see no more than
 * {@code rateLimit.maxPerSecond} (9) calls of the mall in any second — a paced stream, not the spike of 41 in one
 * second seen before — and must never answer 429; every caller gets the response, or the gateway's own 429
 * {@code rate_limited} with {@code Retry-After}.
 */
@Timeout(120)
@Slow
@RealTime
class PacingEndToEndTest {

  private static final int BURST = 120;
  private static final int MAX_PER_SECOND = 9;
  private static final String PATH = "/paced";

  @TempDir
  Path dir;

  @Test
  void should_pace_cafe24s_calls_to_9_a_second_when_120_requests_hit_one_mall_of_the_embedded_mode() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      List<Long> arrivals = recordArrivals(fixture.simulator);
      List<RunningGateway> instances = List.of(deploy(fixture, "", "embedded"));
      String mall = newMall("paced");
      fixture.install(instances.get(0), mall);
      warmUp(fixture, instances);

      Burst burst = Burst.fire(fixture, instances, mall, BURST);

      burst.report("1 instance, embedded", arrivals, fixture.simulator.rateLimitedCount(mall));
      burst.assertPacedWithoutCafe24Refusals(arrivals, fixture.simulator.rateLimitedCount(mall));
    }
  }

  @Test
  void should_pace_cafe24s_calls_to_9_a_second_when_120_requests_hit_one_mall_through_2_instances() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      List<Long> arrivals = recordArrivals(fixture.simulator);
      String redis = RedisServer.shared().url();
      List<RunningGateway> instances = List.of(deploy(fixture, redis, "one"), deploy(fixture, redis, "two"));
      String mall = newMall("paced2");
      fixture.install(instances.get(0), mall);
      warmUp(fixture, instances);

      Burst burst = Burst.fire(fixture, instances, mall, BURST);

      burst.report("2 instances sharing Redis", arrivals, fixture.simulator.rateLimitedCount(mall));
      burst.assertPacedWithoutCafe24Refusals(arrivals, fixture.simulator.rateLimitedCount(mall));
    }
  }

  /** Cafe24's side: when each call that passed its token check and its bucket arrived, on {@code nanoTime}. */
  private static List<Long> recordArrivals(Cafe24Simulator simulator) {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    simulator.adminRoute(PATH).handler(ctx -> {
      arrivals.add(System.nanoTime());
      ctx.response().putHeader("Content-Type", "application/json").end("{\"products\":[]}");
    });
    return arrivals;
  }

  /**
   * One call through each instance, on a mall of its own, before the burst. A JVM's first proxied call is far slower
   * than any later one (class loading, the JIT, a first connection: here up to about 240 ms from grant to arrival,
   * then 2 ms), a cost a gateway pays once in its life; the margin covers a busy period's slow first call, but a cold
   * JVM on a loaded test machine can take longer still.
   */
  private static void warmUp(GatewayFixture fixture, List<RunningGateway> instances) {
    String mall = newMall("warm");
    fixture.install(instances.get(0), mall);
    for (RunningGateway instance : instances) {
      assertEquals(200, fixture.get(instance, "/malls/" + mall + "/api/v2/admin/products").statusCode());
    }
  }

  /** The shipped rate settings (tests otherwise turn pacing off), in front of the simulator. */
  private RunningGateway deploy(GatewayFixture fixture, String redisUrl, String name) {
    return fixture.deploy(fixture.config(redisUrl, dir.resolve(name))
        .set("rateLimit.enabled", true)
        .set("rateLimit.maxPerSecond", MAX_PER_SECOND));
  }

  /** One answer as its caller saw it. */
  private record Call(int status, String gatewayCode, String retryAfter, long millis) {
  }

  /** Every request fired at once, round-robin over the instances, and what came back. */
  private record Burst(List<Call> calls, long millis) {

    static Burst fire(GatewayFixture fixture, List<RunningGateway> instances, String mall, int count) {
      long start = System.nanoTime();
      List<Future<Call>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        RunningGateway instance = instances.get(i % instances.size());
        pending.add(fixture.client.get(instance.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin" + PATH)
            .send()
            .map(response -> new Call(response.statusCode(), response.getHeader("X-Mallgate-Error"),
                response.getHeader("Retry-After"), (System.nanoTime() - start) / 1_000_000)));
      }
      result(Future.all(pending), 60);
      return new Burst(pending.stream().map(Future::result).toList(), (System.nanoTime() - start) / 1_000_000);
    }

    long count(int status) {
      return calls.stream().filter(call -> call.status() == status).count();
    }

    void assertPacedWithoutCafe24Refusals(List<Long> arrivals, int cafe24Refusals) {
      assertEquals(0, cafe24Refusals, "Cafe24 answered 429");
      for (Call call : calls) {
        if (call.status() == 200) {
          continue;
        }
        assertEquals(429, call.status(), "neither the response nor the gateway's refusal: " + call);
        assertEquals("rate_limited", call.gatewayCode(), "a 429 that is not the gateway's own: " + call);
        assertNotNull(call.retryAfter(), "a 429 without Retry-After: " + call);
        assertTrue(Long.parseLong(call.retryAfter()) >= 1, "Retry-After " + call.retryAfter());
      }
      assertEquals(count(200), arrivals.size(), "every 200 is one call at Cafe24, and no call went unanswered");
      int most = maxInAnySecond(arrivals);
      assertTrue(most <= MAX_PER_SECOND, "Cafe24 saw " + most + " calls of the mall within one second");
      // 10 s of waiting (rateLimit.maxWait) at ~8 a second, until the bucket of 40 fills, then 2 a second.
      assertTrue(count(200) >= 45, "the pacing still serves what it can within maxWait: " + count(200));
    }

    void report(String setup, List<Long> arrivals, int cafe24Refusals) {
      Map<Integer, Integer> retryAfters = new TreeMap<>();
      calls.stream().filter(call -> call.retryAfter() != null)
          .forEach(call -> retryAfters.merge(Integer.parseInt(call.retryAfter()), 1, Integer::sum));
      long slowest = calls.stream().filter(call -> call.status() == 200).mapToLong(Call::millis).max().orElse(0);
      System.out.printf("[pacing e2e] %s: %d requests on one mall at once, done in %d ms%n", setup, calls.size(),
          millis);
      System.out.printf("[pacing e2e]   at Cafe24: %d calls, at most %d within any 1 s (cap %d), 429s %d%n",
          arrivals.size(), maxInAnySecond(arrivals), MAX_PER_SECOND, cafe24Refusals);
      System.out.printf("[pacing e2e]   callers: %d × 200 (slowest %d ms), %d × 429 rate_limited; Retry-After "
          + "(s=count) %s%n", count(200), slowest, count(429), retryAfters);
      System.out.printf("[pacing e2e]   at Cafe24 per second %s; first gaps between arrivals (ms) %s%n",
          perSecond(arrivals), firstGaps(arrivals));
    }

    private static List<Long> firstGaps(List<Long> arrivals) {
      List<Long> sorted = arrivals.stream().sorted().toList();
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < Math.min(16, sorted.size()); i++) {
        gaps.add((sorted.get(i) - sorted.get(i - 1)) / 1_000_000);
      }
      return gaps;
    }

    /** Arrivals counted per whole second from the first one. */
    private static List<Integer> perSecond(List<Long> arrivals) {
      List<Long> sorted = arrivals.stream().sorted().toList();
      List<Integer> counts = new ArrayList<>();
      for (long at : sorted) {
        int second = (int) ((at - sorted.get(0)) / 1_000_000_000L);
        while (counts.size() <= second) {
          counts.add(0);
        }
        counts.set(second, counts.get(second) + 1);
      }
      return counts;
    }
  }
}
