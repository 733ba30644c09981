package io.mallgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a valid configuration may still get wrong: settings the gateway starts without, but that leave a feature off
 * in a way an operator should hear about. {@code --check-config} prints them after its verdict and the gateway logs
 * each at start-up, in the same words. Never quotes a secret. Stateless.
 */
public final class ConfigWarnings {

  /** {@code POST /webhook} has no key to check Cafe24's deliveries against. */
  public static final String WEBHOOK_KEY_MISSING = "webhook.apiKeys is empty: POST /webhook answers every delivery "
      + "with 503 webhook_not_configured (Cafe24 resends it later) and nothing is recorded. Set "
      + "CAFE24_WEBHOOK_API_KEY (or webhook.apiKeys) to the \"WebHook auth key\" (WebHook 인증정보) shown with your "
      + "app's webhook settings in the Cafe24 Developer Center; Cafe24 sends it in the X-API-Key header.";

  /** The traces URL is used as it is: one without a path is most likely a collector's base URL. */
  public static final String OTLP_ENDPOINT_WITHOUT_PATH = "tracing.otlpEndpoint has no path: it is the whole URL "
      + "spans are POSTed to, nothing is appended, and a collector takes OTLP/HTTP traces at /v1/traces (for example "
      + "http://otel-collector:4318/v1/traces).";

  private ConfigWarnings() {
  }

  /** The warnings for {@code config}, in a stable order; empty when there is nothing to say. */
  public static List<String> of(GatewayConfig config) {
    List<String> warnings = new ArrayList<>();
    if (!config.webhook().route().verifiable()) {
      warnings.add(webhookWarning(config.webhook().route()));
    }
    String tracing = tracingWarning(config.tracing());
    if (tracing != null) {
      warnings.add(tracing);
    }
    return List.copyOf(warnings);
  }

  /** The warning for a traces URL without a path, or {@code null}. */
  public static String tracingWarning(GatewayConfig.Tracing tracing) {
    return tracing.enabled() && !hasPath(tracing.otlpEndpoint().reveal()) ? OTLP_ENDPOINT_WITHOUT_PATH : null;
  }

  private static boolean hasPath(String url) {
    try {
      String path = new java.net.URI(url).getRawPath();
      return path != null && !path.isEmpty() && !path.equals("/");
    } catch (java.net.URISyntaxException e) {
      return true; // refused by the checks already
    }
  }

  /** The warning for an unverifiable {@code POST /webhook}: the missing API key, or (rarely) the HMAC secret. */
  public static String webhookWarning(GatewayConfig.WebhookRoute route) {
    if (route.schemes().contains("api-key") && route.apiKeys().isEmpty()) {
      return WEBHOOK_KEY_MISSING;
    }
    return "webhook.secrets is empty and so is cafe24.clientSecret: POST /webhook answers every delivery with 503 "
        + "webhook_not_configured. List the HMAC secret in webhook.secrets.";
  }
}
