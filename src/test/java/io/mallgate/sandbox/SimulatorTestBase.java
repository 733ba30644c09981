package io.mallgate.sandbox;

import io.mallgate.testsupport.Canaries;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts a simulator on a free loopback port with a clock the test moves, and a client for it. */
@ExtendWith(VertxExtension.class)
abstract class SimulatorTestBase {

  // Not on a millisecond boundary, so the tests see that Cafe24's timestamps are truncated to milliseconds.
  protected final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T03:00:00.123456Z"));
  protected SimulatorSettings settings;
  protected Cafe24Simulator simulator;
  protected SimulatorClient client;

  /** Override to change the settings a test class runs with. */
  protected SimulatorSettings settings() {
    return SimulatorSettings.defaults().withClock(clock);
  }

  @BeforeEach
  void startSimulator(Vertx vertx, VertxTestContext ctx) {
    settings = settings();
    simulator = Canaries.watch(new Cafe24Simulator(vertx, settings));
    simulator.start(0).onComplete(ctx.succeeding(port -> {
      client = new SimulatorClient(vertx, simulator, settings);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopSimulator(VertxTestContext ctx) {
    if (client != null) {
      client.close();
    }
    simulator.stop().onComplete(ctx.succeedingThenComplete());
  }
}
