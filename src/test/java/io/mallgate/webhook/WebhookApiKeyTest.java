package io.mallgate.webhook;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.WebhookTestSupport.event;
import static io.mallgate.webhook.WebhookTestSupport.post;
import static io.mallgate.webhook.WebhookTestSupport.xlen;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.ConfigWarnings;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cafe24's own scheme, end to end on a real gateway and Redis: the "WebHook auth key" in {@code X-API-Key} is the
 * default verification, a wrong or missing key is 403, and a gateway without a key says so (503, one WARN line)
 * instead of refusing every event as forged.
 */
@Timeout(60)
class WebhookApiKeyTest {

  static final String KEY = TestConfig.WEBHOOK_API_KEY;
  static final String STREAM = "test:webhooks:{api-key-" + System.nanoTime() + "}";

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;
  static HttpServer subscriber;
  static final List<Buffer> forwarded = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    subscriber = result(fixture.vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          forwarded.add(body);
          request.response().end();
        })).listen(0, "127.0.0.1"));
    gateway = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("keyed"))
        .set("webhook.stream", STREAM)
        .set("webhook.subscribers", Map.of("orders", Map.of(
            "url", "http://127.0.0.1:" + subscriber.actualPort() + "/hooks", "events", List.of(90023))))
        .set("webhook.delivery", Map.of("pollInterval", "100ms")));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static long entries() {
    return xlen(fixture.vertx, RedisServer.shared().url(), STREAM);
  }

  @Test
  void should_record_and_fan_out_the_raw_body_when_x_api_key_is_the_configured_key() {
    byte[] body = event(90023, "keyed", ",\"order_id\":\"o-" + System.nanoTime() + "\"");
    HttpResponse<Buffer> response = post(fixture, gateway, "/webhook", body, "X-API-Key", KEY);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("accepted", response.bodyAsJsonObject().getString("status"));
    await("the subscriber gets the event").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> forwarded.stream().anyMatch(sent -> sent.equals(Buffer.buffer(body))));
  }

  @Test
  void should_refuse_with_403_and_record_nothing_when_the_key_is_wrong_missing_short_or_differs_in_case() {
    byte[] body = event(90023, "forged", ",\"n\":\"" + System.nanoTime() + "\"");
    long before = entries();
    List<HttpResponse<Buffer>> refused = List.of(
        post(fixture, gateway, "/webhook", body, "X-API-Key", "wrong-key"),
        post(fixture, gateway, "/webhook", body),
        post(fixture, gateway, "/webhook", body, "X-API-Key", ""),
        post(fixture, gateway, "/webhook", body, "X-API-Key", KEY.toUpperCase(java.util.Locale.ROOT)),
        post(fixture, gateway, "/webhook", body, "X-API-Key", KEY.substring(0, KEY.length() - 1)),
        post(fixture, gateway, "/webhook", body, "X-Cafe24-Hmac-Sha256", WebhookTestSupport.sign(KEY, body)));
    for (HttpResponse<Buffer> response : refused) {
      assertEquals(403, response.statusCode(), response.bodyAsString());
      assertEquals("webhook_unverified", response.getHeader("X-Mallgate-Error"));
    }
    assertEquals(before, entries(), "nothing recorded");
  }

  @Test
  void should_accept_the_key_when_the_header_name_is_written_in_any_case() {
    for (String name : List.of("x-api-key", "X-API-KEY", "x-Api-kEy")) {
      byte[] body = event(90001, "cased", ",\"header\":\"" + name + "-" + System.nanoTime() + "\"");
      HttpResponse<Buffer> response = post(fixture, gateway, "/webhook", body, name, KEY);
      assertEquals(200, response.statusCode(), name + ": " + response.bodyAsString());
    }
  }

  @Test
  void should_answer_503_without_reading_the_body_and_warn_once_when_no_key_is_configured() {
    String stream = "test:webhooks:{unconfigured-" + System.nanoTime() + "}";
    RunningGateway bare;
    try (LogCapture logs = LogCapture.capture()) {
      bare = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("bare"))
          .set("server.eventLoops", 2) // one router per loop: still one warning
          .set("webhook.stream", stream)
          .set("webhook.apiKeys", List.of("${CAFE24_WEBHOOK_API_KEY:-}")));
      assertEquals(1, logs.lines().stream().filter(line -> line.contains(ConfigWarnings.WEBHOOK_KEY_MISSING))
          .count(), "one WARN line saying how to set the key");
    }
    byte[] body = event(90078, "unconfigured", "");
    for (String[] headers : List.of(new String[] {"X-API-Key", KEY}, new String[0])) {
      HttpResponse<Buffer> response = post(fixture, bare, "/webhook", body, headers);
      assertEquals(503, response.statusCode(), response.bodyAsString());
      assertEquals("webhook_not_configured", response.getHeader("X-Mallgate-Error"));
      assertEquals("close", response.getHeader("Connection"), "the unread body is never taken for a request");
    }
    assertEquals(2, bare.gateway().webhookCounters().notConfiguredCount());
    assertEquals(0, bare.gateway().webhookCounters().unverifiedCount(), "not counted as forgeries");
    assertEquals(0, xlen(fixture.vertx, RedisServer.shared().url(), stream));
  }
}
