package io.mallgate.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.FlakyRoute;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, item 9, through a real gateway in front of the simulator: a reload's rate limit, breaker threshold and
 * allow-list take effect on the next requests, without a restart; a key that cannot change while running is named
 * and left alone.
 */
@Timeout(60)
class ConfigReloadTest {

  private static final String PRODUCTS = "/api/v2/admin/products";

  @TempDir
  Path dir;

  @Test
  void should_shape_the_next_burst_by_the_new_capacity_when_rate_limit_capacity_is_lowered() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      // A slow drain: within the test, only the bucket's capacity decides how many calls go.
      TestConfig config = config(fixture).set("rateLimit.enabled", true).set("rateLimit.capacity", 40)
          .set("rateLimit.perSecond", 0.05).set("rateLimit.maxWait", "1ms");
      RunningGateway gateway = fixture.deploy(config);
      String before = mall(fixture, gateway, "before");
      String after = mall(fixture, gateway, "after");
      assertEquals(List.of(200, 200, 200, 200, 200), burst(fixture, gateway, before, 5));

      ReloadOutcome outcome = gateway.gateway().reload(config.set("rateLimit.capacity", 2).build());

      assertEquals(List.of("rateLimit"), outcome.applied());
      assertEquals(List.of(200, 200, 429, 429, 429), burst(fixture, gateway, after, 5));
      assertEquals("rate_limited", fixture.get(gateway, "/malls/" + before + PRODUCTS)
          .getHeader("X-Mallgate-Error"), "a mall past the new capacity already waits too");
    }
  }

  @Test
  void should_refuse_a_newly_excluded_mall_and_admit_a_newly_allowed_one_when_the_allow_list_changes() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String first = "allowa" + System.nanoTime() % 1_000_000;
      String second = "allowb" + System.nanoTime() % 1_000_000;
      TestConfig config = config(fixture).set("malls.allow", List.of(first));
      RunningGateway gateway = fixture.deploy(config);
      fixture.install(gateway, first);
      fixture.install(gateway, second);
      assertEquals(200, fixture.get(gateway, "/malls/" + first + PRODUCTS).statusCode());
      assertEquals("mall_not_allowed", fixture.get(gateway, "/malls/" + second + PRODUCTS)
          .getHeader("X-Mallgate-Error"));

      ReloadOutcome outcome = gateway.gateway().reload(config.set("malls.allow", List.of(second)).build());

      assertEquals(List.of("malls"), outcome.applied());
      var refused = fixture.get(gateway, "/malls/" + first + PRODUCTS);
      assertEquals(403, refused.statusCode());
      assertEquals("mall_not_allowed", refused.getHeader("X-Mallgate-Error"));
      assertEquals(200, fixture.get(gateway, "/malls/" + second + PRODUCTS).statusCode());
    }
  }

  @Test
  void should_open_a_circuit_at_the_new_threshold_when_breaker_failure_threshold_is_lowered() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      FlakyRoute flaky = FlakyRoute.install(fixture.simulator);
      TestConfig config = config(fixture).set("breaker.failureThreshold", 10).set("breaker.failureWindow", "10s")
          .set("breaker.resetTimeout", "30s");
      RunningGateway gateway = fixture.deploy(config);
      String mall = mall(fixture, gateway, "breaker");
      // The mall's circuit exists (built with 10) before the reload: it must take the new threshold too.
      assertEquals(200, fixture.get(gateway, "/malls/" + mall + FlakyRoute.PATH).statusCode());

      gateway.gateway().reload(config.set("breaker.failureThreshold", 2).build());
      flaky.answer(mall, 503);
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        var answer = fixture.get(gateway, "/malls/" + mall + FlakyRoute.PATH);
        seen.add(answer.statusCode() + " " + answer.getHeader("X-Mallgate-Error"));
      }

      assertEquals(List.of("503 null", "503 null", "503 circuit_open"), seen);
      assertEquals(3, flaky.calls(mall), "the open circuit kept the third call from Cafe24");
    }
  }

  @Test
  void should_apply_the_reloadable_parts_and_name_the_rest_when_server_port_changes_too() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
        LogCapture logs = LogCapture.capture()) {
      String mall = "portmall" + System.nanoTime() % 1_000_000;
      TestConfig config = config(fixture);
      RunningGateway gateway = fixture.deploy(config);
      int port = gateway.port();
      fixture.install(gateway, mall);

      ReloadOutcome outcome = gateway.gateway().reload(config.set("server.port", TestConfig.freePort())
          .set("admin.token", "another-admin-token-0123456789").set("malls.allow", List.of("someoneelse")).build());

      assertEquals(List.of("malls"), outcome.applied());
      assertEquals(List.of("admin.token", "server.port"), outcome.needRestart());
      assertEquals(port, gateway.port(), "still listening where it started");
      assertEquals("mall_not_allowed", fixture.get(gateway, "/malls/" + mall + PRODUCTS)
          .getHeader("X-Mallgate-Error"), "the allow-list of the same reload applies");
      assertEquals(1, logs.linesContaining("admin.token, server.port changed but needs a restart").size(),
          logs.lines().toString());
      assertTrue(logs.linesContaining("another-admin-token").isEmpty(), "a secret's value reached the log");
      assertEquals(Set.of("someoneelse"), gateway.gateway().liveConfig().current().malls().allow());
    }
  }

  private TestConfig config(GatewayFixture fixture) {
    return fixture.config("", dir.resolve("gw" + System.nanoTime())).set("rateLimit.enabled", false);
  }

  private static String mall(GatewayFixture fixture, RunningGateway gateway, String prefix) {
    String mall = prefix + System.nanoTime() % 1_000_000;
    fixture.install(gateway, mall);
    return mall;
  }

  /** {@code calls} requests one after the other; their statuses. */
  private static List<Integer> burst(GatewayFixture fixture, RunningGateway gateway, String mall, int calls) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      statuses.add(fixture.get(gateway, "/malls/" + mall + PRODUCTS).statusCode());
    }
    return statuses;
  }
}
