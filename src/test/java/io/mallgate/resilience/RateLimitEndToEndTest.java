package io.mallgate.resilience;

import static io.mallgate.resilience.RateTestSupport.newMall;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.RealTime;
import io.mallgate.testsupport.Slow;
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

/**
 * The proof of issue 4, item 2: a burst far beyond Cafe24's bucket, through real gateways in front of the simulator
 * enforcing Cafe24's 40 calls draining 2 per second. Cafe24 must never answer 429; every caller gets the response or
 * the gateway's own 429 with {@code Retry-After}, within {@code rateLimit.maxWait}.
 */
@Timeout(120)
@Slow
@RealTime
class RateLimitEndToEndTest {

  private static final long MAX_WAIT_MILLIS = 3_000;

  @TempDir
  Path dir;

  @Test
  void should_keep_cafe24_free_of_429s_when_200_requests_hit_one_mall_through_2_instances_at_once() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      String redis = RedisServer.shared().url();
      List<RunningGateway> instances = List.of(deploy(fixture, redis, "one"), deploy(fixture, redis, "two"));
      String mall = newMall("burst");
      fixture.install(instances.get(0), mall);

      Burst burst = Burst.fire(fixture, instances, mall, 200);
      burst.print("2 instances sharing Redis");

      assertEquals(0, fixture.simulator.rateLimitedCount(mall), "Cafe24 answered 429");
      burst.assertResponseOrGatewayRefusal(200);
    }
  }

  @Test
  void should_keep_cafe24_free_of_429s_when_200_requests_hit_one_mall_through_the_embedded_mode() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      List<RunningGateway> instances = List.of(deploy(fixture, "", "embedded"));
      String mall = newMall("burst");
      fixture.install(instances.get(0), mall);

      Burst burst = Burst.fire(fixture, instances, mall, 200);
      burst.print("1 instance, embedded store, local limiter");

      assertEquals(0, fixture.simulator.rateLimitedCount(mall), "Cafe24 answered 429");
      burst.assertResponseOrGatewayRefusal(200);
    }
  }

  @Test
  void should_keep_serving_within_the_budget_and_warn_once_when_redis_stops() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        RedisServer redis = RedisServer.dedicated();
        LogCapture logs = LogCapture.capture()) {
      RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir.resolve("outage"))
          .set("rateLimit.enabled", true)
          .set("redis.commandTimeout", "300ms")
          .set("tokens.cacheTtl", "1h"));
      String mall = newMall("outage");
      fixture.install(gateway, mall);
      assertEquals(200, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products").statusCode());

      redis.stop();
      Burst burst = Burst.fire(fixture, List.of(gateway), mall, 30);
      burst.print("1 instance, Redis stopped: the local model stands in");

      assertEquals(30, burst.calls().stream().filter(call -> call.status() == 200).count(),
          "a rate limiter outage is no gateway outage");
      assertEquals(0, fixture.simulator.rateLimitedCount(mall));
      assertEquals(1, logs.lines().stream().filter(line -> line.contains("unavailable to the rate limiter")).count());
    }
  }

  private RunningGateway deploy(GatewayFixture fixture, String redisUrl, String name) {
    return fixture.deploy(fixture.config(redisUrl, dir.resolve(name))
        .set("rateLimit.enabled", true)
        .set("rateLimit.maxWait", MAX_WAIT_MILLIS + "ms"));
  }

  /** One answer as the caller saw it. */
  private record Call(int instance, int status, String gatewayCode, String retryAfter, long millis) {
  }

  /** Every request fired at once, round-robin over the instances, and what came back. */
  private record Burst(List<Call> calls) {

    static Burst fire(GatewayFixture fixture, List<RunningGateway> instances, String mall, int count) {
      List<Future<Call>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int instance = i % instances.size();
        long start = System.nanoTime();
        pending.add(fixture.client.get(instances.get(instance).port(), "127.0.0.1",
                "/malls/" + mall + "/api/v2/admin/products").send()
            .map(response -> call(instance, response, start)));
      }
      result(Future.all(pending), 60);
      return new Burst(pending.stream().map(Future::result).toList());
    }

    private static Call call(int instance, HttpResponse<Buffer> response, long start) {
      return new Call(instance, response.statusCode(), response.getHeader("X-Mallgate-Error"),
          response.getHeader("Retry-After"), (System.nanoTime() - start) / 1_000_000);
    }

    void assertResponseOrGatewayRefusal(int count) {
      assertEquals(count, calls.size());
      for (Call call : calls) {
        if (call.status() == 200) {
          continue;
        }
        assertEquals(429, call.status(), "neither the response nor the gateway's refusal: " + call);
        assertEquals("rate_limited", call.gatewayCode(), "a 429 that is not the gateway's own: " + call);
        long retryAfter = Long.parseLong(call.retryAfter());
        assertTrue(retryAfter >= 1 && retryAfter <= 120, "Retry-After " + retryAfter);
      }
      long served = calls.stream().filter(call -> call.status() == 200).count();
      // The bucket's 40, plus what drains (2 per second) within maxWait; never more than Cafe24 would take.
      assertTrue(served >= 40 && served <= 40 + 2 * (MAX_WAIT_MILLIS / 1000 + 1), "served " + served);
      long slowest = calls.stream().mapToLong(Call::millis).max().orElse(0);
      assertTrue(slowest < MAX_WAIT_MILLIS + 1_500, "a caller waited " + slowest + " ms");
    }

    void print(String setup) {
      Map<String, Integer> byStatus = new TreeMap<>();
      Map<Integer, Integer> servedBy = new TreeMap<>();
      for (Call call : calls) {
        byStatus.merge(call.status() + (call.gatewayCode() == null ? "" : " " + call.gatewayCode()), 1,
            Integer::sum);
        if (call.status() == 200) {
          servedBy.merge(call.instance(), 1, Integer::sum);
        }
      }
      System.out.printf("[rate-limit e2e] %s: %d requests at once, maxWait %d ms%n", setup, calls.size(),
          MAX_WAIT_MILLIS);
      Map<Integer, Integer> pacedBy = new TreeMap<>();
      calls.stream().filter(call -> call.status() == 200).sorted(java.util.Comparator.comparingLong(Call::millis))
          .skip(40).forEach(call -> pacedBy.merge(call.instance(), 1, Integer::sum));
      System.out.printf("[rate-limit e2e]   by status: %s; 200s by instance: %s (after the burst of 40: %s)%n",
          byStatus, servedBy, pacedBy);
      System.out.printf("[rate-limit e2e]   wait of 200s: %s; of 429s: %s; Retry-After: %s%n",
          percentiles(200), percentiles(429), retryAfters());
    }

    private String percentiles(int status) {
      long[] millis = calls.stream().filter(c -> c.status() == status).mapToLong(Call::millis).sorted().toArray();
      if (millis.length == 0) {
        return "none";
      }
      return "p50 " + at(millis, 0.50) + " ms, p99 " + at(millis, 0.99) + " ms, max " + millis[millis.length - 1]
          + " ms";
    }

    private String retryAfters() {
      Map<Integer, Integer> counts = new TreeMap<>();
      calls.stream().filter(c -> c.retryAfter() != null)
          .forEach(c -> counts.merge(Integer.parseInt(c.retryAfter()), 1, Integer::sum));
      return counts.isEmpty() ? "none" : counts + " (seconds=count)";
    }

    private static long at(long[] sorted, double quantile) {
      return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
  }
}
