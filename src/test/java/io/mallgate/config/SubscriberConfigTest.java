package io.mallgate.config;

import static io.mallgate.config.Configs.ENV;
import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriberConfigTest {

  private static final String CANARY = "CANARY-SUBSCRIBER-SECRET-02be";

  @Test
  void should_bind_a_subscriber_with_the_built_in_defaults_when_only_its_url_is_given() throws Exception {
    GatewayConfig.Webhook webhook = ConfigLoader.fromYaml("""
        redis: {url: "redis://127.0.0.1:6379"}
        webhook:
          subscribers:
            orders: {url: "http://orders.internal:8080/hooks", events: [90023, "90024"]}
        """, ENV).webhook();
    assertEquals(new GatewayConfig.WebhookSubscriber("orders", "http://orders.internal:8080/hooks",
        Set.of("90023", "90024"), Secret.empty(), "X-Mallgate-Hmac-Sha256", "base64", Duration.ofSeconds(10)),
        webhook.subscribers().get("orders"));
    assertEquals(new GatewayConfig.WebhookDelivery(8, Duration.ofSeconds(1), Duration.ofMinutes(5),
        Duration.ofMillis(500), 16), webhook.delivery());
  }

  @Test
  void should_report_every_problem_with_its_key_path_when_subscribers_are_wrong() {
    List<String> problems = problems("""
        redis: {url: "redis://127.0.0.1:6379"}
        webhook:
          subscribers:
            orders: {url: "ftp://x/", evnets: [1]}
            creds: {url: "https://u:p@x/", events: [abc], encoding: b64}
            Bad Name: {url: "http://x/"}
          delivery: {maxAttempts: 0, backoff: 1m, maxBackoff: 1s, pollIntervall: 1s}
        """);
    assertEquals(Set.of(
        "webhook.subscribers.orders.url: must be an http:// or https:// URL with a host",
        "webhook.subscribers.orders.evnets: unknown key, did you mean 'events'?",
        "webhook.subscribers.creds.url: must not carry credentials (user:password@): it is logged; sign with "
            + "'secret' instead",
        "webhook.subscribers.creds.events[0]: not a Cafe24 event number, got 'abc'",
        "webhook.subscribers.creds.encoding: must be base64 or hex, got 'b64'",
        "webhook.subscribers.'Bad Name': a subscriber name is 1-63 lowercase letters, digits, '_' or '-'",
        "webhook.delivery.maxAttempts: must be between 1 and 1000, got '0'",
        "webhook.delivery.maxBackoff: must be at least delivery.backoff (60000ms)",
        "webhook.delivery.pollIntervall: unknown key, did you mean 'pollInterval'?"), Set.copyOf(problems));
  }

  @Test
  void should_accept_subscribers_when_there_is_no_redis() throws Exception {
    // The embedded mode fans out from its webhook log file (one instance only).
    GatewayConfig config = ConfigLoader.fromYaml("webhook: {subscribers: {orders: {url: \"http://x/\"}}}", ENV);
    assertEquals(Set.of("orders"), config.webhook().subscribers().keySet());
  }

  @Test
  void should_never_quote_a_subscriber_secret_when_the_config_is_wrong_or_printed() throws Exception {
    List<String> problems = problems("""
        redis: {url: "redis://127.0.0.1:6379"}
        webhook: {subscribers: {a: {url: "http://x/", secret: [%1$s]}, b: {url: "http://x/", secret: {%1$s: 1}}}}
        """.formatted(CANARY));
    assertFalse(problems.isEmpty());
    problems.forEach(p -> assertFalse(p.contains(CANARY), p));
    GatewayConfig config = ConfigLoader.fromYaml("redis: {url: \"redis://127.0.0.1:6379\"}\nwebhook: {subscribers: "
        + "{a: {url: \"http://x/\", secret: '" + CANARY + "'}}}", ENV);
    assertFalse(config.toString().contains(CANARY), config.toString());
  }
}
