package io.mallgate.health;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.redis.RedisCommands;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The probe routes on their own: what each check reports, the shutdown switch, and a Redis that never answers. */
@Timeout(60)
class HealthRoutesTest {

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  @Test
  void should_report_not_ready_with_the_shutdown_check_down_when_stopping_begins() {
    HealthRoutes health = HealthRoutes.embedded(vertx, () -> true);
    int port = serve(health);
    assertEquals(200, get(port, "/health/ready").statusCode());

    health.stopping();
    HttpResponse<Buffer> ready = get(port, "/health/ready");
    assertEquals(503, ready.statusCode());
    assertEquals(Map.of("config", "UP", "embedded-store", "UP", "shutdown", "DOWN"), ReadinessTest.checks(ready));
    assertEquals(200, get(port, "/health/live").statusCode(), "still alive while it drains");
  }

  @Test
  void should_report_the_embedded_store_down_when_it_is_closed() {
    AtomicBoolean open = new AtomicBoolean(true);
    int port = serve(HealthRoutes.embedded(vertx, open::get));
    open.set(false);
    HttpResponse<Buffer> ready = get(port, "/health/ready");
    assertEquals(503, ready.statusCode());
    assertEquals("DOWN", ReadinessTest.checks(ready).get("embedded-store"));
  }

  @Test
  void should_report_redis_down_with_a_fixed_reason_when_redis_accepts_but_never_answers() {
    // A server that takes the connection and says nothing: the PING can only end by its deadline.
    NetServer silent = result(vertx.createNetServer().connectHandler(socket -> socket.handler(ignored -> { }))
        .listen(0, "127.0.0.1"));
    String url = "redis://:s3cret-password@127.0.0.1:" + silent.actualPort();
    RedisCommands commands = new RedisCommands(Redis.createClient(vertx, url), Duration.ofMillis(300));
    int port = serve(HealthRoutes.redis(vertx, commands, Duration.ofMillis(300)));

    HttpResponse<Buffer> ready = get(port, "/health/ready");
    assertEquals(503, ready.statusCode(), ready.bodyAsString());
    JsonObject redis = ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(1);
    assertEquals(new JsonObject().put("id", "redis").put("status", "DOWN")
        .put("reason", "redis did not answer PING in time"), redis);
    assertFalse(ready.bodyAsString().contains("s3cret"), ready.bodyAsString());
    assertFalse(ready.bodyAsString().contains(String.valueOf(silent.actualPort())), ready.bodyAsString());
  }

  private int serve(HealthRoutes health) {
    Router router = Router.router(vertx);
    health.mount(router);
    return result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    HttpResponse<Buffer> response = result(client.get(port, "127.0.0.1", path).send());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    return response;
  }
}
