package io.mallgate.sandbox;

import static io.mallgate.testsupport.Await.failure;
import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Cafe24 as a webhook sender: Cafe24's body shape, its key in X-API-Key, and nothing of the gateway. */
class SimulatedWebhooksTest {

  private record Received(MultiMap headers, Buffer body) {
  }

  private Vertx vertx;
  private Cafe24Simulator simulator;
  private HttpServer receiver;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator = new Cafe24Simulator(vertx, SimulatorSettings.defaults());
    receiver = result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body));
      request.response().setStatusCode(202).putHeader("X-Answer", "seen").end("ok");
    })).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.actualPort() + "/webhook";
  }

  @Test
  void should_post_cafe24s_body_with_the_auth_key_in_x_api_key_when_an_event_is_sent() {
    simulator.setWebhookApiKey("auth-key-1");
    WebhookReply reply = result(simulator.sendWebhook(url(), 90079, "shop-1"));
    assertEquals(202, reply.status());
    assertEquals("seen", reply.headers().get("X-Answer"));
    assertEquals("ok", reply.body().toString());

    Received got = received.get(0);
    assertEquals("auth-key-1", got.headers().get("X-API-Key"));
    assertNull(got.headers().get("X-Cafe24-Hmac-Sha256"), "Cafe24 signs nothing");
    JsonObject body = got.body().toJsonObject();
    assertEquals(90079, body.getInteger("event_no"));
    assertEquals("shop-1", body.getJsonObject("resource").getString("mall_id"));
    assertEquals("1", body.getJsonObject("resource").getString("event_shop_no"));
  }

  @Test
  void should_send_a_new_event_each_time_and_no_key_when_none_is_set() {
    result(simulator.sendWebhook(url(), 90023, "shop-1"));
    result(simulator.sendWebhook(url(), 90023, "shop-1"));
    assertNull(received.get(0).headers().get("X-API-Key"));
    assertNotEquals(received.get(0).body(), received.get(1).body(), "two events, two bodies: no false duplicate");
  }

  @Test
  void should_refuse_to_send_when_the_event_number_is_unknown() {
    Throwable refused = failure(simulator.sendWebhook(url(), 12345, "shop-1"));
    assertTrue(refused.getMessage().contains("90078 (app expired)"), refused.getMessage());
    assertTrue(received.isEmpty());
  }

  @Test
  void should_import_nothing_of_the_gateway_when_the_simulator_is_compiled() throws IOException {
    // The simulator is the oracle the gateway is tested against: sharing its parsing, token or time code would make
    // a bug in one invisible in the other. The glue that runs both (--sandbox) lives beside Main.
    java.util.regex.Pattern gatewayImport = java.util.regex.Pattern.compile(
        "(?m)^import (static )?io\\.mallgate\\.(?!sandbox\\.)");
    try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/mallgate/sandbox"))) {
      for (Path source : sources.toList()) {
        assertTrue(!gatewayImport.matcher(Files.readString(source)).find(),
            source + " must stay an independent oracle: it imports gateway code");
      }
    }
  }
}
