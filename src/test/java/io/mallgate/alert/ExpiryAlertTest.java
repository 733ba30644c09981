package io.mallgate.alert;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.sandbox.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh-token thresholds, and the window, on the embedded mode's in-memory de-duplication. */
class ExpiryAlertTest {

  private Vertx vertx;
  private AlertReceiver receiver;
  private MutableClock clock;
  private Alerts alerts;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    receiver = new AlertReceiver(vertx);
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    GatewayConfig.Alerts config = new GatewayConfig.Alerts(Duration.ofHours(6),
        List.of(Duration.ofDays(3), Duration.ofDays(1)), Duration.ofMinutes(10),
        new GatewayConfig.WebhookFailures(20, Duration.ofMinutes(10)), Duration.ofSeconds(30),
        new GatewayConfig.AlertSinks(false, Secret.of(receiver.url("/hook")), Secret.empty()),
        new GatewayConfig.AlertDelivery(Duration.ofSeconds(1), 2, Duration.ofMillis(50), 10));
    alerts = Alerts.create(vertx, config, null, WebClient.create(vertx), clock,
        mall -> "https://gw.example/oauth/install?mall_id=" + mall);
  }

  @AfterEach
  void stop() {
    result(vertx.close());
  }

  private List<JsonObject> received() {
    return receiver.where("/hook", "condition", "refresh_token_expiring").stream()
        .map(AlertReceiver.Received::body).toList();
  }

  @Test
  void should_alert_once_per_threshold_and_window_when_the_keep_alive_keeps_failing() {
    alerts.notRenewed("shop", Duration.ofDays(5), "Cafe24's token endpoint is unavailable");
    alerts.notRenewed("shop", Duration.ofDays(2), "Cafe24's token endpoint is unavailable");
    alerts.notRenewed("shop", Duration.ofDays(2).minusHours(1), "Cafe24's token endpoint is unavailable");
    await("the 3d alert").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> received().size() == 1);
    alerts.notRenewed("shop", Duration.ofHours(20), "Cafe24's token endpoint is unavailable");
    await("the 1d alert").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> received().size() == 2);
    clock.advance(Duration.ofHours(7));
    alerts.notRenewed("shop", Duration.ofHours(13), "Cafe24's token endpoint is unavailable");
    await("the 1d alert of the next window").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> received().size() == 3);

    assertEquals(List.of("3d", "1d", "1d"),
        received().stream().map(body -> body.getJsonObject("details").getString("threshold")).toList());
    JsonObject first = received().get(0);
    assertEquals("shop", first.getString("mall"));
    assertEquals(Duration.ofDays(2).toSeconds(), first.getJsonObject("details").getLong("refreshTokenSecondsLeft"));
    assertTrue(first.getString("summary").contains("lapses in 2d"), first.getString("summary"));
    assertTrue(first.getString("summary").contains("https://gw.example/oauth/install?mall_id=shop"));
    assertFalse(first.encode().contains("/hook"), "the sink URL stays out of the alert");
  }

  @Test
  void should_escape_slack_controls_when_a_reason_carries_them() {
    Alert alert = new AlertTexts(mall -> "https://gw/i?mall_id=" + mall).circuitOpen("shop<@U1>", Duration.ofMinutes(12),
        clock.instant());
    JsonObject slack = AlertPayloads.slack(alert);
    assertFalse(slack.encode().contains("<@U1>"), slack.encode());
    assertTrue(slack.getString("text").contains("12m"));
  }
}
