package io.mallgate;

import io.mallgate.config.GatewayConfig;
import io.mallgate.edge.FrontDoor;
import io.mallgate.concurrent.OwningContext;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One event loop's share of the gateway's front: an HTTP server on the gateway's port with its own router and its
 * own pooled client to Cafe24, over the services all loops share. The gateway deploys one per
 * {@code server.eventLoops}, each on its own event loop. Vert.x hands the port's new connections to the servers in
 * turn, so callers spread over the cores; and since a loop's upstream connections are opened on that loop, a
 * request's whole way — caller, gateway, Cafe24 — stays on one thread. With {@code server.publicPort}, each loop
 * also serves that port, through a door that lets only the public paths reach the same router.
 *
 * <p>Vert.x undeploys these before the verticle that owns the gateway, and a loop that went away on its own would
 * leave its connections without a graceful end; so undeploying any loop starts the gateway's graceful stop
 * ({@link Gateway#close}), which drains every loop's server together, and each waits for the same stop.
 */
final class ServerLoop implements Deployable {

  private final GatewayConfig config;
  private final Function<HttpClient, FrontDoor> door;
  private final Supplier<Future<Void>> stop;
  private Vertx vertx;
  private OwningContext loop;
  private HttpClientAgent upstream;
  private FrontDoor front;
  private volatile HttpServer server;
  private volatile HttpServer publicServer;

  /**
   * @param door the request handler of a loop, given that loop's upstream client
   * @param stop the gateway's graceful stop, started when Vert.x undeploys this loop
   */
  ServerLoop(GatewayConfig config, Function<HttpClient, FrontDoor> door, Supplier<Future<Void>> stop) {
    this.config = config;
    this.door = door;
    this.stop = stop;
  }

  /** Builds this loop's client and router; listening comes after, once every loop is ready ({@link #listen}). */
  @Override
  public Future<?> deploy(Context context) {
    vertx = context.owner();
    loop = OwningContext.current(vertx);
    upstream = Transports.upstreamClient(vertx, config.proxy());
    front = door.apply(upstream);
    return Future.succeededFuture();
  }

  /**
   * Listens on {@code port}, on this loop's own event loop; every loop of a gateway asks for the same port, which
   * Vert.x then shares among them (a negative one: the same random port for all). Call once deployed.
   */
  Future<ServerLoop> listen(int port) {
    GatewayConfig.Server options = config.server();
    return serve(front, options.host(), port)
        .compose(bound -> {
          server = bound;
          return options.publicListener() ? serve(front.publicOnly(), options.publicHost(), options.publicPort())
              : Future.succeededFuture(null);
        })
        .map(bound -> {
          publicServer = bound;
          return this;
        });
  }

  private Future<HttpServer> serve(FrontDoor door, String host, int port) {
    // On this loop's context: the server takes the event loop of the context that listens.
    return loop.run(() -> vertx.createHttpServer(Transports.serverOptions(config.server()).setHost(host).setPort(port))
        .invalidRequestHandler(door.renderer()::renderInvalid)
        .requestHandler(door)
        .listen());
  }

  @Override
  public Future<?> undeploy(Context context) {
    return stop.get();
  }

  /** The port this loop's server listens on. */
  int port() {
    return server.actualPort();
  }

  /** The public port this loop's public server listens on, or 0 when there is none. */
  int publicPort() {
    HttpServer bound = publicServer;
    return bound == null ? 0 : bound.actualPort();
  }

  Router router() {
    return front.router();
  }

  /** Stops accepting and lets requests in flight finish for up to {@code graceMillis}. Never fails. */
  Future<Void> drain(long graceMillis) {
    return Future.join(drain(server, graceMillis), drain(publicServer, graceMillis)).mapEmpty();
  }

  private static Future<Void> drain(HttpServer server, long graceMillis) {
    return server == null ? Future.succeededFuture()
        : server.shutdown(graceMillis, TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  /** Closes this loop's upstream connections. Never fails. */
  Future<Void> closeClient() {
    return upstream == null ? Future.succeededFuture() : upstream.close().otherwiseEmpty();
  }
}
