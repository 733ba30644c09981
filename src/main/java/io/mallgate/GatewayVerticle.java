package io.mallgate;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one verticle: starts a {@link Gateway} on its own context and closes it on undeploy. All the wiring lives in
 * {@link Gateway}; this class only ties its life to the deployment.
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  private final Function<Gateway, Future<?>> afterStart;
  private final Clock clock;
  private final Consumer<Router> extraRoutes;
  private Gateway gateway;

  /** @param afterStart work to run on the gateway's context once it listens (the sandbox installs its demo mall) */
  public GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart) {
    this(config, afterStart, Clock.systemUTC());
  }

  /** @param clock the gateway's only source of wall time (tests move it to cross days in a second) */
  public GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart, Clock clock) {
    this(config, afterStart, clock, router -> { });
  }

  /** @param extraRoutes mounted on every loop's router after the gateway's own (the sandbox's sample webhooks) */
  public GatewayVerticle(GatewayConfig config, Function<Gateway, Future<?>> afterStart, Clock clock,
      Consumer<Router> extraRoutes) {
    this.config = config;
    this.afterStart = afterStart;
    this.clock = clock;
    this.extraRoutes = extraRoutes;
  }

  public GatewayVerticle(GatewayConfig config) {
    this(config, gateway -> Future.succeededFuture());
  }

  @Override
  public Future<?> start() {
    return Gateway.start(vertx, config, clock, extraRoutes)
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
