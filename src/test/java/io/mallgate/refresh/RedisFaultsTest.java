package io.mallgate.refresh;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Fault;
import io.mallgate.testsupport.FaultProxy;
import io.mallgate.testsupport.Figures;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's faults between the gateway and Redis, through a {@link FaultProxy} in front of a real Redis: while Redis
 * is a black hole or resets every connection, a mall whose token is cached is still served, a mall whose token must
 * be read gets 503 {@code token_store_unavailable} within the command deadline, nothing hangs, and once the fault
 * clears the gateway serves both again by itself. Figures go to the test output.
 */
@Timeout(60)
class RedisFaultsTest {

  private static final int REQUESTS = 40;
  /** A request whose token must come from Redis waits for a few commands of 300 ms at most, plus a loaded machine. */
  private static final long BOUND = 5_000;

  @TempDir
  Path dir;
  GatewayFixture fixture;
  FaultProxy proxy;
  RunningGateway gateway;
  RunningGateway installer;

  @BeforeEach
  void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    RedisServer redis = RedisServer.shared();
    proxy = result(FaultProxy.start(fixture.vertx, "127.0.0.1", redis.port()));
    gateway = fixture.deploy(fixture.config("redis://127.0.0.1:" + proxy.port(), dir.resolve("faulted"))
        .set("redis.commandTimeout", "300ms")
        .set("tokens.cacheTtl", "1h")
        .set("tokens.refreshWait", "2s"));
    // Straight to Redis: it stores tokens the faulted gateway has never read.
    installer = fixture.deploy(fixture.config(redis.url(), dir.resolve("installer")));
  }

  @AfterEach
  void stop() {
    proxy.close();
    fixture.close();
  }

  private static String newMall(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void should_serve_cached_malls_and_answer_503_for_the_others_when_redis_is_a_black_hole() {
    String cached = cachedMall();
    String uncached = storedMall();

    proxy.set(Fault.blackHole());
    Figures hit = fire("redis black hole, cached token", cached);
    Figures miss = fire("redis black hole, token not cached", uncached);

    assertEquals(Map.of("200", REQUESTS), hit.byOutcome());
    assertEquals(Map.of("503 token_store_unavailable", REQUESTS), miss.byOutcome());
    assertTrue(miss.max() < BOUND, "slowest 503 took " + miss.max() + " ms");

    proxy.clear();
    assertRecovers(uncached);
  }

  @Test
  void should_serve_cached_malls_and_answer_503_for_the_others_when_redis_resets_every_connection() {
    String cached = cachedMall();
    String uncached = storedMall();

    proxy.set(Fault.refuse());
    Figures hit = fire("redis resets connections, cached token", cached);
    Figures miss = fire("redis resets connections, token not cached", uncached);

    assertEquals(Map.of("200", REQUESTS), hit.byOutcome());
    assertEquals(Map.of("503 token_store_unavailable", REQUESTS), miss.byOutcome());
    assertTrue(miss.max() < BOUND, "slowest 503 took " + miss.max() + " ms");

    proxy.clear();
    assertRecovers(uncached);
  }

  @Test
  void should_serve_every_mall_when_redis_is_slow_but_within_the_command_deadline() {
    String cached = cachedMall();
    String uncached = storedMall();

    // 40 ms each way: a command's round trip stays well under redis.commandTimeout (300 ms), even on a busy machine.
    proxy.set(Fault.latency(Duration.ofMillis(40)));
    Figures hit = fire("redis 40 ms each way, cached token", cached, REQUESTS);
    // Concurrent misses join one store read (before that, 40 reads queued for 16 connections past the deadline).
    Figures miss = fire("redis 40 ms each way, token not cached", uncached, REQUESTS);

    assertEquals(Map.of("200", REQUESTS), hit.byOutcome());
    assertEquals(Map.of("200", REQUESTS), miss.byOutcome());
  }

  /** A mall installed through the faulted gateway and called once: its token sits in that gateway's cache. */
  private String cachedMall() {
    String mall = newMall("cached");
    fixture.install(gateway, mall);
    assertEquals(200, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products").statusCode());
    return mall;
  }

  /** A mall stored in Redis by the other gateway: the faulted one must read it from Redis. */
  private String storedMall() {
    String mall = newMall("stored");
    fixture.install(installer, mall);
    return mall;
  }

  /** {@code requests} GETs for {@code mall} at once through the faulted gateway; prints and returns the figures. */
  private Figures fire(String name, String mall) {
    return fire(name, mall, REQUESTS);
  }

  private Figures fire(String name, String mall, int requests) {
    Figures figures = new Figures(name);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      long start = System.nanoTime();
      calls.add(fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin/products")
          .timeout(BOUND + 10_000) // a hang shows as "no answer", not as a stuck test
          .send()
          .andThen(answer -> figures.record(answer, start)));
    }
    result(Future.join(calls).transform(done -> Future.succeededFuture()), 40);
    figures.print();
    return figures;
  }

  /** Once the fault is gone the gateway reads Redis again by itself: the mall is served within a few seconds. */
  private void assertRecovers(String mall) {
    long start = System.nanoTime();
    await("the mall served again after Redis came back")
        .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertEquals(200, fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products")
            .statusCode(), "still refused 15 s after Redis came back"));
    System.out.printf("[faults] recovered: %s served %d ms after the fault cleared%n", mall,
        (System.nanoTime() - start) / 1_000_000);
  }
}
