package io.mallgate.refresh;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.testsupport.GatewayFixture.expiringAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping gateway makes no new attempt at Cafe24's token endpoint: a retry started late could still be waiting
 * for its answer when the grace ends, and a redeemed pair lost with the process is the one loss the refresh protocol
 * cannot repair. An attempt not made redeems nothing; another instance refreshes later.
 */
@Timeout(60)
class ShutdownRefreshTest {

  @TempDir
  Path dir;

  @Test
  void should_make_no_new_refresh_attempt_when_the_gateway_is_stopping() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("gw")));
      String mall = "stopping-" + ProcessHandle.current().pid();
      JsonObject tokens = fixture.simulator.issueTokens(mall);
      fixture.install(gateway, mall, expiringAt(tokens, Instant.now().minusSeconds(1)));
      // Every attempt fails, slowly: the refresher would retry, and the stop comes while an attempt is out.
      fixture.simulator.faults().failNext(5, 503).delayAll(Duration.ofMillis(300));

      fixture.client.get(gateway.port(), "127.0.0.1", "/malls/" + mall + "/api/v2/admin/products").send();
      await("the first attempt").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> fixture.simulator.refreshAttempts(mall) >= 1);
      int atStop = fixture.simulator.refreshAttempts(mall);
      result(gateway.stop());

      int after = fixture.simulator.refreshAttempts(mall);
      assertEquals(atStop, after, "the stopping gateway went on retrying at Cafe24's token endpoint");
    }
  }
}
