package io.mallgate.keepalive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With the embedded store the one instance always leads: an idle mall is kept alive without any Redis. */
@Timeout(30)
@Slow
class KeepAliveEmbeddedTest {

  @TempDir
  Path dir;

  @Test
  void should_refresh_an_idle_mall_once_when_the_embedded_instance_runs_alone() {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try (GatewayFixture fixture = GatewayFixture.start(
        SimulatorSettings.defaults().withRateLimitEnabled(false).withClock(clock))) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir)
          .set("keepalive.enabled", true)
          .set("keepalive.interval", "1s")
          .set("keepalive.jitter", "100ms"));
      assertTrue(gateway.gateway().keepAlive().leading());
      fixture.install(gateway, "solo");

      clock.advance(Duration.ofDays(13));
      await("the idle mall is refreshed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> fixture.simulator.refreshCount("solo") > 0);
      long scans = gateway.gateway().keepAlive().scans();
      await("two more scans").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> gateway.gateway().keepAlive().scans() >= scans + 2);
      assertEquals(1, fixture.simulator.refreshCount("solo"));
      assertEquals(200, fixture.get(gateway, "/malls/solo/api/v2/admin/products").statusCode());
      assertEquals(1, fixture.simulator.refreshCount("solo"), "the request used the kept-alive token");
    }
  }
}
