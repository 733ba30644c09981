package io.mallgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the fan-out keys of the {@code webhook:} section: {@code subscribers:} (a mapping of name to subscriber, each
 * read with the defaults of {@link #SUBSCRIBER_DEFAULTS}) and {@code delivery:}. A subscriber's secret is never
 * quoted in a problem.
 */
final class SubscriberBinder {

  /** The keys of one subscriber with their defaults; {@code url} has none. */
  static final Map<String, Object> SUBSCRIBER_DEFAULTS = defaults();

  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62})");
  private static final Pattern EVENT_NO = Pattern.compile("[1-9][0-9]{0,8}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Placeholders placeholders;
  private final Problems problems;

  SubscriberBinder(Placeholders placeholders, Problems problems) {
    this.placeholders = placeholders;
    this.problems = problems;
  }

  Map<String, GatewayConfig.WebhookSubscriber> subscribers(ConfigReader r) {
    Map<String, GatewayConfig.WebhookSubscriber> subscribers = new LinkedHashMap<>();
    r.mapping("subscribers").forEach((key, value) -> {
      String name = String.valueOf(key);
      if (!NAME.matcher(name).matches()) {
        r.problem("subscribers." + Problems.quote(name),
            "a subscriber name is 1-63 lowercase letters, digits, '_' or '-'");
      } else if (!(value instanceof Map<?, ?> keys)) {
        r.problem("subscribers." + name, "expected a mapping of keys (url, events, secret, header, encoding, "
            + "timeout), got " + ConfigReader.describe(value, true));
      } else {
        ConfigReader nested = new ConfigReader("webhook.subscribers." + name, keys, SUBSCRIBER_DEFAULTS,
            placeholders, problems);
        nested.reportUnknownKeys();
        subscribers.put(name, subscriber(name, nested));
      }
    });
    return Map.copyOf(subscribers);
  }

  GatewayConfig.WebhookDelivery delivery(ConfigReader r) {
    @SuppressWarnings("unchecked")
    Map<String, Object> defaults = (Map<String, Object>) Defaults.section("webhook").get("delivery");
    ConfigReader d = new ConfigReader("webhook.delivery", r.mapping("delivery"), defaults, placeholders, problems);
    d.reportUnknownKeys();
    Duration backoff = d.duration("backoff", Duration.ofMillis(1));
    Duration maxBackoff = d.duration("maxBackoff", Duration.ofMillis(1));
    if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
      d.problem("maxBackoff", "must be at least delivery.backoff (" + backoff.toMillis() + "ms)");
    }
    return new GatewayConfig.WebhookDelivery(d.integer("maxAttempts", 1, 1000), backoff, maxBackoff,
        d.duration("pollInterval", Duration.ofMillis(10)), d.integer("batchSize", 1, 1000));
  }

  private static GatewayConfig.WebhookSubscriber subscriber(String name, ConfigReader r) {
    return new GatewayConfig.WebhookSubscriber(name, r.string("url", SubscriberBinder::url),
        Set.copyOf(r.strings("events", false, SubscriberBinder::eventNo)), r.secret("secret", ConfigReader.ANY),
        r.string("header", SubscriberBinder::headerName), r.string("encoding", SubscriberBinder::encoding),
        r.duration("timeout", Duration.ofMillis(1)));
  }

  /** http or https with a host; no credentials in it, since URLs are logged and shown by the admin API. */
  static String url(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        // Never quoted: a malformed URL may still carry a credential.
        return "must be an http:// or https:// URL with a host";
      }
      if (uri.getRawUserInfo() != null) {
        return "must not carry credentials (user:password@): it is logged; sign with 'secret' instead";
      }
      return uri.getRawFragment() == null ? null : "must not have a #fragment";
    } catch (URISyntaxException e) {
      return "not a URL";
    }
  }

  private static String eventNo(String value) {
    return EVENT_NO.matcher(value).matches() ? null : "not a Cafe24 event number, got " + Problems.quote(value);
  }

  private static String headerName(String value) {
    return HEADER_NAME.matcher(value).matches() ? null : "not a header name " + Problems.quote(value);
  }

  private static String encoding(String value) {
    return value.equals("base64") || value.equals("hex") ? null : "must be base64 or hex, got " + Problems.quote(value);
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("url", null);
    defaults.put("events", List.of());
    defaults.put("secret", "");
    defaults.put("header", "X-Mallgate-Hmac-Sha256");
    defaults.put("encoding", "base64");
    defaults.put("timeout", "10s");
    return java.util.Collections.unmodifiableMap(defaults);
  }
}
