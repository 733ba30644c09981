package io.mallgate.webhook;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.WebhookTestSupport.event;
import static io.mallgate.webhook.WebhookTestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 90079 (app expiry extended) against two instances on one Redis: it lifts an {@code app_expired} mark everywhere,
 * and nothing else — not a deleted app, not a dead refresh token, not a mark newer than itself.
 */
@Timeout(60)
class AppExpiryExtendedTest {

  static final String STREAM = "test:webhooks:{expiry-" + System.nanoTime() + "}";

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway one;
  static RunningGateway two;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    one = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("1")).set("webhook.stream", STREAM));
    two = fixture.deploy(fixture.config(RedisServer.shared().url(), dir.resolve("2")).set("webhook.stream", STREAM));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A fresh mall, installed, its token cached by instance two. */
  private static String installed(String name) {
    String mall = name + "-" + System.nanoTime() % 1_000_000;
    fixture.install(one, mall);
    assertEquals(200, call(two, mall).statusCode(), "instance two caches the token");
    return mall;
  }

  private static HttpResponse<Buffer> call(RunningGateway gateway, String mall) {
    return fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products");
  }

  /** Cafe24's delivery of one event: a new body each time (Cafe24 sends each event once, then resends copies). */
  private static HttpResponse<Buffer> deliver(int eventNo, String mall) {
    return deliver(event(eventNo, mall, ",\"n\":\"" + System.nanoTime() + "\""));
  }

  private static HttpResponse<Buffer> deliver(byte[] body) {
    HttpResponse<Buffer> response = post(fixture, one, "/webhook", body, "X-API-Key", TestConfig.WEBHOOK_API_KEY);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response;
  }

  private static void assertMarked(String mall, String reason) {
    for (RunningGateway gateway : new RunningGateway[] {one, two}) {
      HttpResponse<Buffer> refused = call(gateway, mall);
      assertEquals(401, refused.statusCode(), refused.bodyAsString());
      assertEquals("mall_reauthorization_required", refused.getHeader("X-Mallgate-Error"));
      assertTrue(refused.bodyAsString().contains(reason), refused.bodyAsString());
    }
  }

  @Test
  void should_serve_the_mall_again_on_every_instance_when_an_expired_app_is_extended() {
    String mall = installed("renewed");
    deliver(90078, mall);
    assertMarked(mall, "app_expired");
    long restored = one.gateway().webhookCounters().appRestorationCount();

    deliver(90079, mall);
    // Instance two cached the mark above and hears of the restoration by announcement, which may trail the answer.
    await("instance two drops its cached mark").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> call(two, mall).statusCode() == 200);
    assertEquals(200, call(one, mall).statusCode());
    assertEquals(restored + 1, one.gateway().webhookCounters().appRestorationCount());
  }

  @Test
  void should_stay_marked_when_the_app_was_deleted_before_the_expiry_extended_event() {
    String mall = installed("deleted");
    deliver(90077, mall);
    deliver(90079, mall);
    assertMarked(mall, "app_deleted");
  }

  @Test
  void should_stay_marked_when_the_refresh_token_is_dead_and_the_expiry_extended_event_arrives() {
    String mall = installed("dead-token");
    HttpResponse<Buffer> marked = result(fixture.client.request(HttpMethod.PUT, one.port(), "127.0.0.1",
            "/admin/malls/" + mall + "/reauthorization")
        .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("reason", "invalid_grant")));
    assertEquals(200, marked.statusCode(), marked.bodyAsString());
    deliver(90079, mall);
    assertMarked(mall, "invalid_grant");
  }

  @Test
  void should_keep_a_newer_expiry_mark_when_an_older_expiry_extended_event_is_resent() {
    String mall = installed("resent");
    deliver(90078, mall);
    byte[] extended = event(90079, mall, ",\"n\":\"first-extension\"");
    assertEquals("accepted", deliver(extended).bodyAsJsonObject().getString("status"));
    assertEquals(200, call(two, mall).statusCode());

    deliver(90078, mall); // expired again, later
    assertEquals("duplicate", deliver(extended).bodyAsJsonObject().getString("status"),
        "Cafe24 resends the first extension");
    assertMarked(mall, "app_expired");
  }
}
