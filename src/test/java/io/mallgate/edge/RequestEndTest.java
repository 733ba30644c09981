package io.mallgate.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EdgeGuard}'s one end handler: every {@link RequestEnd} hears of every request once, in order — answered,
 * refused by the guard, or left by its caller — and one that throws costs the others nothing.
 */
class RequestEndTest {

  /** What one RequestEnd heard: its name, the request's path, whether the outcome failed, its start and its id. */
  private record Heard(String by, String path, boolean failed, long startNanos, long heardNanos, String requestId,
      String gatewayCode) {
  }

  private final List<Heard> heard = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new EdgeGuard(List.of(
        recorder("first"),
        (ctx, facts, outcome) -> {
          throw new IllegalStateException("a broken listener");
        },
        recorder("second"))));
    router.get("/answered").handler(ctx -> ctx.response().end("ok"));
    // Never answered: the caller gives up first.
    router.get("/silent").handler(ctx -> { });
    // As the gateway's renderer does: the refusal's code in X-Mallgate-Error.
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(400)
        .putHeader(ErrorCode.HEADER, ctx.failure() instanceof GatewayFailure refused ? refused.code().code()
            : ErrorCode.INTERNAL_ERROR.code()).end());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();
    client = vertx.createHttpClient();
  }

  private RequestEnd recorder(String name) {
    return (ctx, facts, outcome) -> heard.add(new Heard(name, ctx.request().path(), outcome.failed(),
        facts.startNanos(), System.nanoTime(), facts.requestId(), facts.gatewayCode()));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void should_tell_every_listener_once_in_order_when_a_request_is_answered() {
    long before = System.nanoTime();
    HttpClientResponse response = client.request(HttpMethod.GET, port, "127.0.0.1", "/answered")
        .compose(request -> request.send()).await();
    assertEquals(200, response.statusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
    assertEquals(List.of("first", "second"), heard.stream().map(Heard::by).toList(),
        "in the order given, the broken one between them costing nothing");
    for (Heard one : heard) {
      assertEquals("/answered", one.path());
      assertTrue(!one.failed(), "an answered request's outcome succeeds");
      assertTrue(one.startNanos() >= before && one.startNanos() <= one.heardNanos(),
          "the start is when the edge saw the request");
    }
    assertEquals(heard.get(0).startNanos(), heard.get(1).startNanos(), "one start for all");
    assertEquals(heard.get(0).requestId(), heard.get(1).requestId(), "one request's facts for all");
    assertEquals(response.getHeader("X-Request-Id"), heard.get(0).requestId(),
        "the facts hold the id the caller got");
    assertEquals(null, heard.get(0).gatewayCode(), "an answer the gateway raised no code for");
  }

  @Test
  void should_tell_every_listener_of_a_request_the_guard_refused() {
    HttpClientResponse response = client.request(HttpMethod.GET, port, "127.0.0.1", "/answered/../answered")
        .compose(request -> request.send()).await();
    assertEquals(400, response.statusCode(), "a path with dot segments is refused by the guard");
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
    assertEquals(List.of("first", "second"), heard.stream().map(Heard::by).toList());
    assertTrue(heard.stream().allMatch(one -> "invalid_path".equals(one.gatewayCode())),
        "every listener is told the code the gateway answered with: " + heard);
  }

  @Test
  void should_tell_every_listener_that_the_caller_left_before_an_answer() {
    client.request(HttpMethod.GET, port, "127.0.0.1", "/silent")
        .compose(request -> request.idleTimeout(200).send()).otherwiseEmpty().await();
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 2);
    assertTrue(heard.stream().allMatch(one -> one.failed() && one.path().equals("/silent")), heard.toString());
  }
}
