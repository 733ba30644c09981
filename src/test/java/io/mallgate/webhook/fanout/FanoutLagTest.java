package io.mallgate.webhook.fanout;

import static io.mallgate.webhook.fanout.FanoutTest.assertOnceEach;
import static io.mallgate.webhook.fanout.FanoutTest.postEvents;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out lag and delay meters end to end, with the Redis stream and with the embedded log: the lag of a subscriber
 * that is down grows with the age of the event its loop keeps retrying, and falls back to 0 once it has caught up;
 * the delay histogram counts each delivery. The gateway's clock stands still unless the test moves it, so the lag
 * rises only by the time the test says passed, and it can fall back only by the deliveries (never by the loop letting
 * go of events it has not seen for a while).
 */
@Timeout(120)
@Slow
class FanoutLagTest {

  private static final String LAG = "mallgate_webhook_fanout_lag_seconds{subscriber=\"orders\"}";
  private static final String DELAYS = "mallgate_webhook_fanout_delay_seconds_count{subscriber=\"orders\"}";
  private static final String DELAY_SUM = "mallgate_webhook_fanout_delay_seconds_sum{subscriber=\"orders\"}";

  @TempDir
  Path dir;

  @Test
  void should_report_a_lag_that_grows_while_the_subscriber_is_down_and_is_0_once_caught_up_when_redis_holds_the_log() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      lagRisesThenFalls(fixture, fixture.config(RedisServer.shared().url(), dir)
          .set("redis.commandTimeout", "1s")
          .set("webhook.stream", "test:webhooks:{lag-" + System.nanoTime() + "}"));
    }
  }

  @Test
  void should_report_a_lag_that_grows_while_the_subscriber_is_down_and_is_0_once_caught_up_when_embedded() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      lagRisesThenFalls(fixture, fixture.config("", dir));
    }
  }

  private static void lagRisesThenFalls(GatewayFixture fixture, TestConfig base) {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      RunningGateway gateway = fixture.deploy(withOrders(base, target), clock);
      FanoutCounters counters = gateway.gateway().fanoutCounters();
      assertEquals(0.0, sample(fixture, gateway, LAG), "present from the start, at 0");
      assertEquals(0.0, sample(fixture, gateway, DELAYS), "present from the start, at 0");

      List<String> ids = postEvents(fixture, gateway, 3, "lag");
      await("the subscriber refused an event").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.refused() >= 1);
      // The subscriber stays down 10 minutes, then 15: the loop keeps the oldest event it retries, not a flag.
      clock.advance(Duration.ofMinutes(10));
      await("a lag of 10 minutes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> counters.lagSeconds("orders") > 9 * 60);
      assertTrue(sample(fixture, gateway, LAG) > 9 * 60, "scraped as well");
      clock.advance(Duration.ofMinutes(5));
      await("a lag of 15 minutes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> counters.lagSeconds("orders") > 14 * 60);

      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      await("caught up: no lag").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> counters.lagSeconds("orders") == 0.0);
      assertOnceEach(target, ids);
      assertEquals(0.0, sample(fixture, gateway, LAG));
      assertEquals(3.0, sample(fixture, gateway, DELAYS), "one delay per delivery");
      assertTrue(sample(fixture, gateway, DELAY_SUM) > 3 * 14 * 60, "each event waited out the outage");
      assertEquals(0.0, counters.lagSeconds("unknown"), "a subscriber that is not configured has none");
    }
  }

  /**
   * Any instance may take over an event another one tried: the lag shows on one of them while the subscriber is down,
   * and once every event is delivered no instance keeps one it no longer sees pending. (Real clocks: an instance lets go
   * of an event it has not seen for a while.)
   */
  @Test
  void should_show_the_lag_on_an_instance_and_drop_it_on_both_when_two_instances_share_the_stream() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.answer(503);
      String stream = "test:webhooks:{lag-" + System.nanoTime() + "}";
      List<FanoutCounters> instances = new ArrayList<>();
      for (String name : List.of("1", "2")) {
        instances.add(fixture.deploy(withOrders(fixture.config(RedisServer.shared().url(), dir.resolve(name))
            .set("redis.commandTimeout", "1s")
            .set("webhook.stream", stream), target)).gateway().fanoutCounters());
      }
      // Posted to no instance in particular: the stream is shared, and the first to read an event tries it.
      List<String> ids = postEvents(fixture, fixture.deploy(fixture.config(RedisServer.shared().url(),
          dir.resolve("intake")).set("webhook.stream", stream)), 4, "two");
      await("a lag of over a second on an instance").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> instances.stream().mapToDouble(counters -> counters.lagSeconds("orders")).max().orElse(0) > 1);

      target.answer(200);
      await("every event accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> target.accepted.keySet().containsAll(ids));
      await("no lag on either instance").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> instances.stream().allMatch(counters -> counters.lagSeconds("orders") == 0.0));
    }
  }

  private static TestConfig withOrders(TestConfig config, TestSubscriber target) {
    return config.set("webhook.subscribers", Map.of("orders", Map.of("url", target.url(), "timeout", "1s")))
        .set("webhook.delivery", Map.of("maxAttempts", 50, "backoff", "100ms", "maxBackoff", "400ms",
            "pollInterval", "100ms", "batchSize", 4));
  }

  /** The value of one sample line (name and labels exactly as Micrometer writes them); fails when there is none. */
  private static double sample(GatewayFixture fixture, RunningGateway gateway, String series) {
    String body = fixture.get(gateway, "/metrics").bodyAsString();
    return body.lines().filter(line -> line.startsWith(series + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .orElseThrow(() -> new AssertionError(series + " missing from:\n" + body));
  }
}
