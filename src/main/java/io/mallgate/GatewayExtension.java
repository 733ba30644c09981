package io.mallgate;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * What a way of running adds to the gateway, beyond its own routes and state: {@code --sandbox} adds the sample
 * webhook route and its pre-installed demo mall. The plain gateway adds nothing ({@link #NONE}).
 */
interface GatewayExtension {

  GatewayExtension NONE = new GatewayExtension() { };

  /** Mounts routes on an event loop's router, after the gateway's own and before the error rendering. */
  default void mount(Router router) {
  }

  /**
   * Runs once the gateway is built, on its context, before it listens: no caller reaches the gateway before this
   * completes (the sandbox's demo mall is installed by then). A failure fails the start.
   */
  default Future<Void> beforeListen(Gateway gateway) {
    return Future.succeededFuture();
  }
}
