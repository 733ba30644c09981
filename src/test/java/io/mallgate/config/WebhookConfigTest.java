package io.mallgate.config;

import static io.mallgate.config.Configs.ENV;
import static io.mallgate.config.Configs.env;
import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

  private static final String CANARY = "CANARY-WEBHOOK-SECRET-51c9";

  @Test
  void should_verify_webhooks_by_cafe24s_api_key_from_the_environment_when_no_webhook_section_is_given()
      throws Exception {
    GatewayConfig config = ConfigLoader.defaults(env("CAFE24_WEBHOOK_API_KEY", "auth-key"));
    GatewayConfig.Webhook webhook = config.webhook();
    assertEquals(1024 * 1024, webhook.maxBodySize());
    assertEquals(Duration.ofHours(24), webhook.dedupWindow());
    assertEquals(Duration.ofSeconds(10), webhook.bodyTimeout());
    assertEquals("mallgate:webhooks", webhook.stream());
    assertEquals(new GatewayConfig.WebhookRoute(List.of("api-key"), "X-Cafe24-Hmac-Sha256", "base64",
        List.of(Secret.of("client-sec")), List.of(Secret.of("auth-key"))), webhook.route());
    assertEquals(0, webhook.routes().size());
    assertEquals(List.of(), ConfigWarnings.of(config));
  }

  @Test
  void should_load_but_warn_how_to_set_the_key_when_no_webhook_api_key_is_configured() throws Exception {
    GatewayConfig config = ConfigLoader.defaults(ENV);
    assertEquals(List.of(), config.webhook().route().apiKeys(), "the unset variable leaves no empty key");
    assertFalse(config.webhook().route().verifiable());
    List<String> warnings = ConfigWarnings.of(config);
    assertEquals(List.of(ConfigWarnings.WEBHOOK_KEY_MISSING), warnings);
    assertTrue(warnings.get(0).contains("CAFE24_WEBHOOK_API_KEY") && warnings.get(0).contains("Developer Center")
        && warnings.get(0).contains("webhook_not_configured"), warnings.get(0));
  }

  @Test
  void should_keep_hmac_available_with_the_client_secret_when_the_default_route_asks_for_it() throws Exception {
    GatewayConfig config = ConfigLoader.fromYaml("webhook: {schemes: [hmac]}", ENV);
    assertEquals(new GatewayConfig.WebhookRoute(List.of("hmac"), "X-Cafe24-Hmac-Sha256", "base64",
        List.of(Secret.of("client-sec")), List.of()), config.webhook().route());
    assertEquals(List.of(), ConfigWarnings.of(config), "HMAC alone needs no API key");
  }

  @Test
  void should_bind_named_routes_with_the_built_in_defaults_when_keys_are_left_out() throws Exception {
    GatewayConfig.Webhook webhook = ConfigLoader.fromYaml("""
        webhook:
          encoding: hex
          routes:
            partner: {schemes: [hmac, api-key], secrets: ["${NEW}", "${OLD:-}"], apiKeys: [k1, k2]}
        """, env("NEW", "new-secret")).webhook();
    assertEquals("hex", webhook.route().encoding());
    GatewayConfig.WebhookRoute partner = webhook.routes().get("partner");
    assertEquals(new GatewayConfig.WebhookRoute(List.of("hmac", "api-key"), "X-Cafe24-Hmac-Sha256", "base64",
        List.of(Secret.of("new-secret")), List.of(Secret.of("k1"), Secret.of("k2"))), partner);
  }

  @Test
  void should_report_every_problem_with_its_key_path_when_the_webhook_section_is_wrong() {
    List<String> problems = problems("""
        webhook:
          bodyTimeot: 5s
          schemes: [basic]
          stream: "a{}b"
          streamMaxLength: 0
          routes:
            shop: {schemse: [hmac], encoding: b64}
            keyed: {schemes: [api-key]}
            Bad Name: {}
            default: {}
        """);
    assertEquals(java.util.Set.of(
        "webhook.bodyTimeot: unknown key, did you mean 'bodyTimeout'?",
        "webhook.schemes[0]: must be hmac or api-key, got 'basic'",
        "webhook.stream: must be a key name without spaces, with at most one non-empty {hash tag}, got 'a{}b'",
        "webhook.streamMaxLength: must be between 1 and 2147483647, got '0'",
        "webhook.routes.shop.schemse: unknown key, did you mean 'schemes'?",
        "webhook.routes.shop.encoding: must be base64 or hex, got 'b64'",
        // schemse is unknown, so shop has the default [api-key], and no key: a named route must have one.
        "webhook.routes.shop.apiKeys: must list at least one key when schemes include api-key (Cafe24's "
            + "\"WebHook auth key\")",
        "webhook.routes.keyed.apiKeys: must list at least one key when schemes include api-key (Cafe24's "
            + "\"WebHook auth key\")",
        "webhook.routes.'Bad Name': a route name is 1-63 lowercase letters, digits, '_' or '-'",
        "webhook.routes.default: 'default' names POST /webhook, whose keys are the section's own: pick another name"),
        java.util.Set.copyOf(problems));
  }

  @Test
  void should_never_quote_a_webhook_secret_when_the_config_is_wrong_or_printed() throws Exception {
    List<String> problems = problems("""
        webhook:
          secrets: {%1$s: x}
          apiKeys: "%1$s"
          routes:
            shop: {secrets: [[%1$s]], apiKeys: [{%1$s: 1}]}
            other: %1$s
        """.formatted(CANARY));
    assertFalse(problems.isEmpty());
    problems.forEach(p -> assertFalse(p.contains(CANARY), p));
    GatewayConfig config = ConfigLoader.fromYaml("webhook: {secrets: ['" + CANARY + "'], schemes: [hmac, api-key], "
        + "apiKeys: ['" + CANARY + "']}", ENV);
    assertFalse(config.toString().contains(CANARY), config.toString());
  }
}
