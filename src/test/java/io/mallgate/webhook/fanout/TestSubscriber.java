package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber on 127.0.0.1, port 0: answers {@link #answer(int)} (200 unless told otherwise) and records every
 * request it gets, and, per {@code X-Mallgate-Event-Id}, how often it accepted it with a 2xx.
 */
final class TestSubscriber implements AutoCloseable {

  /** One request as received. */
  record Received(MultiMap headers, Buffer body, int answered) {
    String eventId() {
      return headers.get("X-Mallgate-Event-Id");
    }
  }

  private final HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger delayMillis = new AtomicInteger();
  final List<Received> received = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

  TestSubscriber(Vertx vertx) {
    server = result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (delayMillis.get() > 0) {
        vertx.setTimer(delayMillis.get(), late -> respond(request, body));
      } else {
        respond(request, body);
      }
    })).listen(0, "127.0.0.1"));
  }

  private void respond(io.vertx.core.http.HttpServerRequest request, Buffer body) {
    int answer = status.get();
    received.add(new Received(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body, answer));
    if (answer / 100 == 2) {
      accepted.computeIfAbsent(request.getHeader("X-Mallgate-Event-Id"), id -> new AtomicInteger()).incrementAndGet();
    }
    request.response().setStatusCode(answer).end();
  }

  /** Answers each request this long after it arrived (a slow subscriber: deliveries lag behind). */
  void delay(int millis) {
    delayMillis.set(millis);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks";
  }

  void answer(int statusCode) {
    status.set(statusCode);
  }

  /** Attempts that were not accepted. */
  long refused() {
    return received.stream().filter(r -> r.answered() / 100 != 2).count();
  }

  @Override
  public void close() {
    result(server.close());
  }
}
