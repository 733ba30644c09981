package io.mallgate;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, item 9, on a real process: SIGHUP reloads the configuration file, and leaves the gateway running (the
 * JVM's own default for SIGHUP is to exit).
 */
@Timeout(120)
@Slow
class ReloadSignalTest {

  @TempDir
  Path dir;

  @Test
  void should_apply_the_changed_file_and_keep_running_when_sighup_arrives() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      int port = TestConfig.freePort();
      TestConfig config = fixture.config("", dir.resolve("store")).set("server.port", port);
      Path child = Files.createDirectories(dir.resolve("child"));
      try (GatewayProcess gateway = GatewayProcess.start(config, port, child)) {
        String mall = "hup" + System.nanoTime() % 1_000_000;
        Files.writeString(child.resolve("gateway.yaml"), config.set("malls.allow", List.of("someoneelse")).yaml());

        gateway.signal("HUP");

        await("the reloaded allow-list refuses the mall")
            .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
            .until(() -> "mall_not_allowed".equals(result(fixture.client.get(port, "127.0.0.1",
                "/malls/" + mall + "/api/v2/admin/products").send()).getHeader("X-Mallgate-Error")));
        assertTrue(gateway.output().contains("SIGHUP received: reloading the configuration"), gateway.output());
        assertTrue(gateway.output().contains("config reloaded: malls changed"), gateway.output());
        assertTrue(gateway.alive(), "SIGHUP stopped the gateway");
      }
    }
  }
}
