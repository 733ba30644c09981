package io.mallgate.reload;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.ConfigException;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, item 9, from the file: an edit is picked up without a signal; an invalid file is rejected with every
 * problem by key path and changes nothing; both outcomes are counted in {@code mallgate_config_reloads_total}.
 */
@Timeout(60)
class ConfigFileReloadTest {

  private static final String PRODUCTS = "/api/v2/admin/products";
  private static final Duration QUICK = Duration.ofMillis(100);

  @TempDir
  Path dir;

  @Test
  void should_apply_an_edit_without_a_signal_when_the_file_changes() throws IOException {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String mall = "watched" + System.nanoTime() % 1_000_000;
      TestConfig config = fixture.config("", dir.resolve("store"));
      Path file = write(config);
      RunningGateway gateway = fixture.deploy(config);
      gateway.gateway().liveConfig().watch(FileConfigSource.of(file, Map.of()), QUICK);
      fixture.install(gateway, mall);
      assertEquals(200, fixture.get(gateway, "/malls/" + mall + PRODUCTS).statusCode());

      Files.writeString(file, config.set("malls.allow", List.of("someoneelse")).yaml());

      await("the edited allow-list applies").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> "mall_not_allowed".equals(fixture.get(gateway, "/malls/" + mall + PRODUCTS)
              .getHeader("X-Mallgate-Error")));
      assertTrue(metrics(fixture, gateway).contains("mallgate_config_reloads_total{outcome=\"applied\"} 1.0"),
          metrics(fixture, gateway));
    }
  }

  @Test
  void should_keep_the_running_config_and_list_every_problem_by_key_when_the_file_is_invalid() throws IOException {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
        LogCapture logs = LogCapture.capture()) {
      String mall = "kept" + System.nanoTime() % 1_000_000;
      TestConfig config = fixture.config("", dir.resolve("store")).set("malls.allow", List.of(mall));
      Path file = write(config);
      RunningGateway gateway = fixture.deploy(config);
      // Only the explicit reload below: a check of the file would find the same edit and reject it a second time.
      ConfigWatch watch = gateway.gateway().liveConfig().watch(FileConfigSource.of(file, Map.of()),
          Duration.ofHours(1));
      fixture.install(gateway, mall);

      Files.writeString(file, config.set("malls.allow", List.of()).set("rateLimit.capacity", "lots")
          .set("breaker.failureTreshold", 3).yaml());
      Throwable rejected = result(watch.reload("test").<Throwable>transform(
          outcome -> io.vertx.core.Future.succeededFuture(outcome.cause())));

      List<String> problems = assertInstanceOf(ConfigException.class, rejected).problems();
      assertEquals(2, problems.size(), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("breaker.failureTreshold: unknown key")),
          problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("rateLimit.capacity: ")), problems.toString());
      List<String> warned = logs.linesContaining("config reload rejected, the running configuration stays");
      assertEquals(1, warned.size(), logs.lines().toString());
      assertTrue(warned.get(0).contains("breaker.failureTreshold") && warned.get(0).contains("rateLimit.capacity"));
      assertEquals(List.of(mall), List.copyOf(gateway.gateway().liveConfig().current().malls().allow()));
      assertEquals("mall_not_allowed", fixture.get(gateway, "/malls/other" + mall + PRODUCTS)
          .getHeader("X-Mallgate-Error"), "the old allow-list still applies");
      assertEquals(200, fixture.get(gateway, "/malls/" + mall + PRODUCTS).statusCode());
      assertTrue(metrics(fixture, gateway).contains("mallgate_config_reloads_total{outcome=\"rejected\"} 1.0"),
          metrics(fixture, gateway));
    }
  }

  private Path write(TestConfig config) throws IOException {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, config.yaml());
    return file;
  }

  private static String metrics(GatewayFixture fixture, RunningGateway gateway) {
    return fixture.get(gateway, "/metrics").bodyAsString();
  }
}
