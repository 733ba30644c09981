package io.mallgate.alert;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.FlakyRoute;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway instances on one (dedicated) Redis, both sending alerts to a local receiver as a generic webhook
 * ({@code /hook}) and as Slack ({@code /slack}). Each condition is made to happen on both instances; the receiver must
 * get it once.
 */
@Timeout(60)
@Slow
class AlertDeliveryTest {

  private static final Duration CHECKS = Duration.ofMillis(200);

  @TempDir
  static Path dir;
  static RedisServer redis;
  static MutableClock clock;
  static GatewayFixture fixture;
  static FlakyRoute flaky;
  static AlertReceiver receiver;
  static RunningGateway first;
  static RunningGateway second;

  @BeforeAll
  static void start() {
    redis = RedisServer.dedicated();
    clock = new MutableClock(Instant.now());
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false).withClock(clock));
    flaky = FlakyRoute.install(fixture.simulator);
    receiver = new AlertReceiver(fixture.vertx);
    first = fixture.deploy(config(0));
    second = fixture.deploy(config(1));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    redis.close();
  }

  private static io.mallgate.testsupport.TestConfig config(int n) {
    return fixture.config(redis.url(), dir.resolve("g" + n))
        .set("breaker.failureThreshold", 2)
        .set("retry.maxRetries", 0)
        .set("alerts.checkInterval", CHECKS.toMillis() + "ms")
        .set("alerts.webhookFailures", java.util.Map.of("count", 3, "window", "1m"))
        .set("alerts.sinks.webhook.url", receiver.url("/hook"))
        .set("alerts.sinks.slack.url", receiver.url("/slack"))
        .set("alerts.delivery", java.util.Map.of("timeout", "1s", "attempts", 4, "backoff", "100ms"));
  }

  private static Alerts alerts(RunningGateway gateway) {
    return gateway.gateway().alerts();
  }

  /** Waits until both instances have raised {@code more} further alerts: each had its chance to send twice. */
  private static void bothRaisedAgain(int more) {
    long first0 = alerts(first).raised();
    long second0 = alerts(second).raised();
    await("both instances raise again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> alerts(first).raised() >= first0 + more && alerts(second).raised() >= second0 + more);
  }

  @Test
  void should_send_one_alert_per_sink_when_both_instances_see_a_circuit_open_past_the_limit() {
    String mall = "alert-circuit";
    fixture.install(first, mall);
    flaky.answer(mall, 503);
    for (RunningGateway gateway : List.of(first, second)) {
      for (int i = 0; i < 3; i++) {
        fixture.get(gateway, "/malls/" + mall + FlakyRoute.PATH);
      }
      assertEquals("circuit_open", fixture.get(gateway, "/malls/" + mall + FlakyRoute.PATH)
          .getHeader("X-Mallgate-Error"));
    }
    clock.advance(Duration.ofMinutes(11));
    await("the circuit alert arrives at both sinks")
        .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> !receiver.where("/slack", "text", mall).isEmpty()
            && !receiver.where("/hook", "mall", mall).isEmpty());
    bothRaisedAgain(3);

    List<AlertReceiver.Received> slack = receiver.where("/slack", "text", mall);
    List<AlertReceiver.Received> hook = receiver.where("/hook", "mall", mall);
    assertEquals(1, slack.size(), slack.toString());
    assertEquals(1, hook.size(), hook.toString());
    JsonObject generic = hook.get(0).body();
    assertEquals("mallgate", generic.getString("source"));
    assertEquals("circuit_open", generic.getString("condition"));
    assertTrue(generic.getJsonObject("details").getLong("openSeconds") >= 660, generic.encode());
    Instant.parse(generic.getString("at"));
    JsonObject payload = slack.get(0).body();
    assertTrue(payload.getString("text").contains("Mallgate: circuit open"), payload.encode());
    JsonArray blocks = payload.getJsonArray("blocks");
    assertEquals("section", blocks.getJsonObject(0).getString("type"));
    assertEquals("mrkdwn", blocks.getJsonObject(0).getJsonObject("text").getString("type"));
    assertEquals("context", blocks.getJsonObject(1).getString("type"));
    assertNoToken(mall);
  }

  @Test
  void should_send_one_webhook_failure_alert_when_both_instances_refuse_forged_webhooks() {
    for (RunningGateway gateway : List.of(first, second)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<Buffer> refused = result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook")
            .putHeader("X-API-Key", "forged").sendBuffer(Buffer.buffer("{\"event_no\":90023}")));
        assertEquals(403, refused.statusCode());
      }
    }
    await("the webhook alert arrives").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> !receiver.where("/hook", "condition", "webhook_unverified").isEmpty());
    bothRaisedAgain(3);

    List<AlertReceiver.Received> hook = receiver.where("/hook", "condition", "webhook_unverified");
    assertEquals(1, hook.size(), hook.toString());
    assertEquals("", hook.get(0).body().getString("mall"));
    assertEquals(1, receiver.where("/slack", "text", "webhook unverified").size());
  }

  @Test
  void should_retry_a_failing_receiver_without_delaying_the_request_when_a_mall_needs_reauthorization() {
    String mall = "alert-reauth";
    fixture.install(first, mall, GatewayFixture.expiringAt(fixture.simulator.issueTokens(mall),
        clock.instant().minusSeconds(60)));
    fixture.simulator.revokeAll(mall);
    receiver.script("/hook", AlertReceiver.HANG, 500);

    long started = System.nanoTime();
    HttpResponse<Buffer> response = fixture.get(second, "/malls/" + mall + "/api/v2/admin/products");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals("mall_reauthorization_required", response.getHeader("X-Mallgate-Error"));
    assertTrue(took.compareTo(Duration.ofMillis(800)) < 0, "the request waited for the alert: " + took);

    await("the third attempt is accepted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> receiver.where("/hook", "mall", mall).size() >= 3);
    List<AlertReceiver.Received> attempts = receiver.where("/hook", "mall", mall);
    assertEquals(List.of(AlertReceiver.HANG, 500, 200), attempts.stream().map(AlertReceiver.Received::answeredWith)
        .toList());
    assertEquals(1, attempts.stream().map(AlertReceiver.Received::body).distinct().count(), "one alert, retried");
    JsonObject details = attempts.get(0).body().getJsonObject("details");
    assertEquals("invalid_grant", details.getString("reason"));
    assertTrue(details.getString("installUrl").endsWith("/oauth/install?mall_id=" + mall), details.encode());
    assertEquals(1, receiver.where("/slack", "text", mall).size());
    assertNoToken(mall);
  }

  private static void assertNoToken(String mall) {
    String everything = receiver.all().toString();
    String access = fixture.simulator.latestAccessToken(mall);
    String refresh = fixture.simulator.latestRefreshToken(mall);
    assertFalse(access != null && everything.contains(access), "an access token in an alert");
    assertFalse(refresh != null && everything.contains(refresh), "a refresh token in an alert");
  }
}
