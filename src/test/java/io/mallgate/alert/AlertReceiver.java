package io.mallgate.alert;

import static io.mallgate.testsupport.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local HTTP receiver for alert sinks on {@code 127.0.0.1}: records every POST body by path and answers as the test
 * scripted it — {@code 200} by default, or, for the next requests of a path, a status or no answer at all
 * ({@link #HANG}). Thread-safe.
 */
final class AlertReceiver implements AutoCloseable {

  /** A scripted answer that never comes: the sender's timeout must end the attempt. */
  static final int HANG = -1;

  record Received(String path, JsonObject body, int answeredWith) {
  }

  private final HttpServer server;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final Queue<String[]> script = new ConcurrentLinkedQueue<>();

  AlertReceiver(Vertx vertx) {
    server = result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The next POSTs to {@code path} are answered with {@code statuses}, in order ({@link #HANG}: never). */
  void script(String path, int... statuses) {
    for (int status : statuses) {
      script.add(new String[] {path, Integer.toString(status)});
    }
  }

  /** Bodies received on {@code path} whose {@code field} (top level) contains {@code text}, in arrival order. */
  List<Received> where(String path, String field, String text) {
    return received.stream().filter(r -> r.path.equals(path))
        .filter(r -> String.valueOf(r.body.getValue(field)).contains(text)).toList();
  }

  List<Received> all() {
    return List.copyOf(received);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int status = next(request.path());
      received.add(new Received(request.path(), body.toJsonObject(), status));
      if (status != HANG) {
        request.response().setStatusCode(status).end();
      }
    });
  }

  private synchronized int next(String path) {
    for (String[] step : script) {
      if (step[0].equals(path)) {
        script.remove(step);
        return Integer.parseInt(step[1]);
      }
    }
    return 200;
  }

  @Override
  public void close() {
    result(server.close());
  }
}
