package io.mallgate.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The "Vert.x floor" of {@code bench/run.sh}: the least a Vert.x proxy can do for Mallgate's job, so that Mallgate's
 * throughput can be read against what Vert.x itself allows on the same machine. One server per event loop (one
 * verticle instance per core, as Mallgate), each with its own pooled client; the path prefix {@code from} is
 * replaced by {@code to}, headers are copied both ways (but {@code Host} and {@code Connection}), a fixed bearer is
 * set, bodies are streamed both ways. No checks, no timeouts, no metrics, no log: not a proxy to deploy.
 *
 * <p>{@code java -cp <classes>:target/mallgate.jar io.mallgate.bench.VertxFloor PORT UPSTREAM_PORT FROM TO TOKEN}
 */
public final class VertxFloor extends VerticleBase {

  private final String[] args;
  private HttpClient client;

  private VertxFloor(String[] args) {
    this.args = args;
  }

  public static void main(String[] args) {
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
    vertx.deployVerticle(() -> new VertxFloor(args), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("VertxFloor listening on " + args[0] + ", " + loops
            + " event loops, native transport " + vertx.isNativeTransportEnabled()))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1")
        .setDefaultPort(Integer.parseInt(args[1])), new PoolOptions().setHttp1MaxSize(64));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[0])))
        .requestHandler(this::proxy).listen();
  }

  private void proxy(HttpServerRequest req) {
    req.pause();
    String uri = req.uri().startsWith(args[2]) ? args[3] + req.uri().substring(args[2].length()) : req.uri();
    client.request(new RequestOptions().setMethod(req.method()).setURI(uri)).compose(out -> {
      out.headers().setAll(req.headers()).remove(HttpHeaders.HOST).remove(HttpHeaders.CONNECTION)
          .set(HttpHeaders.AUTHORIZATION, "Bearer " + args[4]);
      req.response().closeHandler(v -> out.reset()); // a caller gone mid-body: stop the upstream's body too
      return out.send(req);
    }).compose(in -> {
      req.response().setStatusCode(in.statusCode()).headers().setAll(in.headers()).remove(HttpHeaders.CONNECTION);
      return req.response().send(in);
    }).onFailure(e -> { // the caller may have gone (wrk closes its connections at the end): nothing to answer then
      HttpServerResponse response = req.response();
      if (response.ended() || response.closed()) {
        return;
      }
      if (response.headWritten()) {
        req.connection().close();
      } else {
        response.setStatusCode(502).end();
      }
    });
  }
}
