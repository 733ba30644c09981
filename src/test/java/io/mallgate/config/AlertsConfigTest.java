package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {

  private static final String CANARY = "https://hooks.slack.com/services/CANARY-7f3a";

  @Test
  void should_log_only_when_every_key_is_default() throws Exception {
    GatewayConfig.Alerts alerts = ConfigLoader.defaults(Configs.ENV).alerts();
    assertEquals(new GatewayConfig.Alerts(Duration.ofHours(6), List.of(Duration.ofDays(3), Duration.ofDays(1)),
        Duration.ofMinutes(10), new GatewayConfig.WebhookFailures(20, Duration.ofMinutes(10)), Duration.ofSeconds(30),
        new GatewayConfig.AlertSinks(true, Secret.empty(), Secret.empty()),
        new GatewayConfig.AlertDelivery(Duration.ofSeconds(5), 5, Duration.ofSeconds(2), 1000)), alerts);
  }

  @Test
  void should_keep_the_other_nested_defaults_when_one_nested_key_is_set() throws Exception {
    GatewayConfig.Alerts alerts = ConfigLoader.fromYaml("""
        alerts:
          sinks: {slack: {url: "${SLACK}"}}
          delivery: {attempts: 2}
        """, Configs.env("SLACK", CANARY)).alerts();
    assertEquals(new GatewayConfig.AlertSinks(true, Secret.empty(), Secret.of(CANARY)), alerts.sinks());
    assertEquals(new GatewayConfig.AlertDelivery(Duration.ofSeconds(5), 2, Duration.ofSeconds(2), 1000),
        alerts.delivery());
    assertFalse(alerts.toString().contains("CANARY"), alerts.toString());
  }

  @Test
  void should_name_every_nested_key_and_never_quote_a_sink_url_when_they_are_wrong() {
    List<String> problems = problems("""
        alerts:
          refreshTokenThresholds: [3d, 14d, 3d, soon]
          webhookFailures: {count: 0, windw: 1m}
          sinks: {slack: {url: "ftp://CANARY-7f3a"}, webhook: {url: [CANARY-7f3a]}}
        """);
    assertEquals(List.of(
        "alerts.webhookFailures.windw: unknown key, did you mean 'window'?",
        "alerts.refreshTokenThresholds[1]: must be less than 14d (a refresh token's whole life)",
        "alerts.refreshTokenThresholds[2]: lists a threshold twice",
        "alerts.refreshTokenThresholds[3]: expected a duration like 500ms, 30s, 5m, 2h or 7d, got 'soon'",
        "alerts.webhookFailures.count: must be between 1 and 1000000, got '0'",
        "alerts.sinks.webhook.url: expected a single value, got a list",
        "alerts.sinks.slack.url: must be empty (off) or an absolute http:// or https:// URL"), problems);
  }

  @Test
  void should_refuse_a_threshold_when_the_keep_alive_would_not_have_tried_yet() {
    assertEquals(List.of("alerts.refreshTokenThresholds: every threshold must be below keepalive.refreshWhenLeft "
        + "(48h), got 72h"), problems("keepalive: {refreshWhenLeft: 2d}"));
  }
}
