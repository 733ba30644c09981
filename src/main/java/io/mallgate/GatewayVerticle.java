package io.mallgate;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.function.Function;

/**
 * The one verticle: starts a {@link Gateway} on its own context and closes it on undeploy. All the wiring lives in
 * {@link Gateway}; this class only ties its life to the deployment.
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final Function<Gateway, Future<?>> afterStart;
  private final Clock clock;
  private final GatewayExtension extension;
  private Gateway gateway;

  /** @param afterStart work to run on the gateway's context once it listens (Main watches the config file) */
  public GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart) {
    this(config, afterStart, Clock.systemUTC());
  }

  /** @param clock the gateway's only source of wall time (tests move it to cross days in a second) */
  public GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart, Clock clock) {
    this(config, afterStart, clock, GatewayExtension.NONE);
  }

  /** @param extension what the way of running adds (the sandbox's sample webhooks and demo mall) */
  GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart, Clock clock,
      GatewayExtension extension) {
    this.config = config;
    this.afterStart = afterStart;
    this.clock = clock;
    this.extension = extension;
  }

  public GatewayVerticle(GatewayConfig config) {
    this(config, gateway -> Future.succeededFuture());
  }

  @Override
  public Future<?> start() {
    return Gateway.start(vertx, config, clock, extension)
        .onSuccess(started -> gateway = started)
        .compose(afterStart::apply);
  }

  @Override
  public Future<?> stop() {
    return gateway == null ? Future.succeededFuture() : gateway.close();
  }

  /** The running gateway, once started. */
  public Gateway gateway() {
    return gateway;
  }
}
