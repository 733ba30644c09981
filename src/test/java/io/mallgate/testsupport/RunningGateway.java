package io.mallgate.testsupport;

import io.mallgate.Gateway;
import io.mallgate.GatewayVerticle;
import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A gateway deployed as in production (one {@link GatewayVerticle}), for integration tests. */
public record RunningGateway(Vertx vertx, String deploymentId, GatewayVerticle verticle) {

  public static Future<RunningGateway> deploy(Vertx vertx, GatewayConfig config) {
    return deploy(vertx, config, java.time.Clock.systemUTC());
  }

  /** A gateway reading time from {@code clock} (a test's {@code MutableClock}). */
  public static Future<RunningGateway> deploy(Vertx vertx, GatewayConfig config, java.time.Clock clock) {
    GatewayVerticle verticle = new GatewayVerticle(config, gateway -> Future.succeededFuture(), clock);
    return vertx.deployVerticle(verticle).map(id -> new RunningGateway(vertx, id, verticle));
  }

  public Gateway gateway() {
    return verticle.gateway();
  }

  /** The public listener's port, or 0 when {@code server.publicPort} is off. */
  public int publicPort() {
    return gateway().publicPort();
  }

  public int port() {
    return gateway().port();
  }

  public Future<Void> stop() {
    return vertx.undeploy(deploymentId);
  }
}
