package io.mallgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds the {@code webhook:} section: the limits, the stream, the verification of {@code POST /webhook} (keys at
 * the section's top level) and the named verifications under {@code routes:}, each read with the same keys and
 * defaults. HMAC secrets default to {@code cafe24.clientSecret}; secrets and API keys are never quoted in a problem.
 *
 * <p>An {@code api-key} scheme without a key is allowed for {@code POST /webhook} only: every deployment has that
 * route, including those that use no webhooks, and its default key comes from {@code CAFE24_WEBHOOK_API_KEY}, so an
 * unset variable must not stop the gateway (the route answers 503 {@code webhook_not_configured} and start-up and
 * {@code --check-config} warn). A named route exists only because an operator wrote it: one that could never verify
 * a delivery is a mistake, reported here.
 */
final class WebhookBinder {

  private static final List<String> ROUTE_KEYS = List.of("schemes", "header", "encoding", "secrets", "apiKeys");
  private static final List<String> SCHEMES = List.of("hmac", "api-key");
  private static final Pattern ROUTE_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62})");
  // RFC 9110 token characters: anything else cannot be a header name.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // Either no braces, or one non-empty hash tag: the de-duplication keys share the stream's Cluster slot.
  private static final Pattern STREAM = Pattern.compile("[^{}\\s]+|[^{}\\s]*\\{[^{}\\s]+}[^{}\\s]*");

  private final Placeholders placeholders;
  private final Problems problems;

  WebhookBinder(Placeholders placeholders, Problems problems) {
    this.placeholders = placeholders;
    this.problems = problems;
  }

  GatewayConfig.Webhook bind(ConfigReader r, Secret clientSecret) {
    GatewayConfig.WebhookRoute route = route(r, clientSecret, false);
    SubscriberBinder fanout = new SubscriberBinder(placeholders, problems);
    return new GatewayConfig.Webhook(r.size("maxBodySize"), r.duration("bodyTimeout"), r.duration("dedupWindow"),
        r.string("stream", WebhookBinder::streamName), r.integer("streamMaxLength", 1, Integer.MAX_VALUE), route,
        routes(r, clientSecret), fanout.subscribers(r), fanout.delivery(r));
  }

  private Map<String, GatewayConfig.WebhookRoute> routes(ConfigReader r, Secret clientSecret) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    ROUTE_KEYS.forEach(key -> defaults.put(key, Defaults.section("webhook").get(key)));
    Map<String, GatewayConfig.WebhookRoute> routes = new LinkedHashMap<>();
    r.mapping("routes").forEach((key, value) -> {
      String name = String.valueOf(key);
      if (!ROUTE_NAME.matcher(name).matches()) {
        r.problem("routes." + Problems.quote(name), "a route name is 1-63 lowercase letters, digits, '_' or '-'");
      } else if (name.equals("default")) {
        r.problem("routes.default", "'default' names POST /webhook, whose keys are the section's own: pick another name");
      } else if (!(value instanceof Map<?, ?> keys)) {
        r.problem("routes." + name, "expected a mapping of keys (schemes, header, encoding, secrets, apiKeys), got "
            + ConfigReader.describe(value, true));
      } else {
        ConfigReader nested = new ConfigReader("webhook.routes." + name, keys, defaults, placeholders, problems);
        nested.reportUnknownKeys();
        routes.put(name, route(nested, clientSecret, true));
      }
    });
    return Map.copyOf(routes);
  }

  /** @param keyRequired whether an {@code api-key} scheme without a key is a problem (named routes) */
  private static GatewayConfig.WebhookRoute route(ConfigReader r, Secret clientSecret, boolean keyRequired) {
    List<String> schemes = r.strings("schemes", true, WebhookBinder::scheme);
    if (schemes.stream().distinct().count() < schemes.size()) {
      r.problem("schemes", "lists a scheme twice");
    }
    List<Secret> secrets = r.secrets("secrets", false, ConfigReader.ANY).stream().filter(s -> !s.isEmpty()).toList();
    List<Secret> apiKeys = r.secrets("apiKeys", false, ConfigReader.ANY).stream().filter(s -> !s.isEmpty()).toList();
    if (keyRequired && schemes.contains("api-key") && apiKeys.isEmpty()) {
      r.problem("apiKeys", "must list at least one key when schemes include api-key (Cafe24's \"WebHook auth key\")");
    }
    if (secrets.isEmpty() && clientSecret != null && !clientSecret.isEmpty()) {
      secrets = List.of(clientSecret);
    }
    return new GatewayConfig.WebhookRoute(schemes, r.string("header", WebhookBinder::headerName),
        r.string("encoding", WebhookBinder::encoding), secrets, apiKeys);
  }

  private static String scheme(String value) {
    return SCHEMES.contains(value) ? null : "must be hmac or api-key, got " + Problems.quote(value);
  }

  private static String headerName(String value) {
    return HEADER_NAME.matcher(value).matches() ? null : "not a header name " + Problems.quote(value);
  }

  private static String encoding(String value) {
    return value.equals("base64") || value.equals("hex") ? null : "must be base64 or hex, got " + Problems.quote(value);
  }

  private static String streamName(String value) {
    return STREAM.matcher(value).matches() ? null
        : "must be a key name without spaces, with at most one non-empty {hash tag}, got " + Problems.quote(value);
  }
}
