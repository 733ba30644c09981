package io.mallgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds the {@code alerts:} section and its nested mappings ({@code webhookFailures}, {@code sinks} with
 * {@code webhook} and {@code slack}, {@code delivery}), each read with its own defaults so that an operator who sets
 * one nested key keeps the defaults of the others. Sink URLs are secrets: no problem ever quotes them.
 */
final class AlertsBinder {

  /** A refresh token's whole life at Cafe24. */
  private static final Duration REFRESH_TOKEN_LIFE = Duration.ofDays(14);

  private final Placeholders placeholders;
  private final Problems problems;

  AlertsBinder(Placeholders placeholders, Problems problems) {
    this.placeholders = placeholders;
    this.problems = problems;
  }

  GatewayConfig.Alerts bind(ConfigReader r) {
    ConfigReader failures = nested(r, "alerts", "webhookFailures");
    ConfigReader sinks = nested(r, "alerts", "sinks");
    ConfigReader delivery = nested(r, "alerts", "delivery");
    return new GatewayConfig.Alerts(r.duration("window"), thresholds(r), r.duration("circuitOpenFor"),
        new GatewayConfig.WebhookFailures(failures.integer("count", 1, 1_000_000), failures.duration("window")),
        r.duration("checkInterval", Duration.ofMillis(100)),
        new GatewayConfig.AlertSinks(sinks.bool("log"), url(nested(sinks, "alerts.sinks", "webhook")),
            url(nested(sinks, "alerts.sinks", "slack"))),
        new GatewayConfig.AlertDelivery(delivery.duration("timeout"), delivery.integer("attempts", 1, 20),
            delivery.duration("backoff"), delivery.integer("queueSize", 1, 100_000)));
  }

  /**
   * A threshold at or above {@code keepalive.refreshWhenLeft} would alert on the first failed keep-alive refresh,
   * long before anything is at risk.
   */
  static void checkThresholds(GatewayConfig config, Problems problems) {
    Duration whenLeft = config.keepalive().refreshWhenLeft();
    if (whenLeft == null || !config.keepalive().enabled()) {
      return;
    }
    for (Duration threshold : config.alerts().refreshTokenThresholds()) {
      if (threshold.compareTo(whenLeft) >= 0) {
        problems.add("alerts.refreshTokenThresholds", "every threshold must be below keepalive.refreshWhenLeft ("
            + whenLeft.toHours() + "h), got " + threshold.toHours() + "h");
        return;
      }
    }
  }

  /** Largest first; each below a refresh token's whole life; no repeats. */
  private static List<Duration> thresholds(ConfigReader r) {
    List<Duration> thresholds = new ArrayList<>();
    List<String> items = r.strings("refreshTokenThresholds", false, ConfigReader.ANY);
    for (int i = 0; i < items.size(); i++) {
      try {
        Duration threshold = Units.duration(items.get(i));
        if (threshold.compareTo(REFRESH_TOKEN_LIFE) >= 0) {
          r.problem("refreshTokenThresholds[" + i + "]", "must be less than 14d (a refresh token's whole life)");
        } else if (thresholds.contains(threshold)) {
          r.problem("refreshTokenThresholds[" + i + "]", "lists a threshold twice");
        } else {
          thresholds.add(threshold);
        }
      } catch (IllegalArgumentException e) {
        r.problem("refreshTokenThresholds[" + i + "]", e.getMessage());
      }
    }
    thresholds.sort(Comparator.reverseOrder());
    return List.copyOf(thresholds);
  }

  private ConfigReader nested(ConfigReader parent, String parentPath, String key) {
    @SuppressWarnings("unchecked")
    Map<String, Object> defaults = (Map<String, Object>) defaultsOf(parentPath).get(key);
    ConfigReader reader = new ConfigReader(parentPath + "." + key, parent.mapping(key), defaults, placeholders,
        problems);
    reader.reportUnknownKeys();
    return reader;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> defaultsOf(String path) {
    String[] parts = path.split("\\.");
    Map<String, Object> defaults = Defaults.section(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      defaults = (Map<String, Object>) defaults.get(parts[i]);
    }
    return defaults;
  }

  /** Secret-safe: an incoming-webhook URL is a credential, so the message never shows it. */
  private static Secret url(ConfigReader r) {
    return r.secret("url", AlertsBinder::urlProblem);
  }

  static String urlProblem(String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return null;
      }
    } catch (URISyntaxException e) {
      // falls through
    }
    return "must be empty (off) or an absolute http:// or https:// URL";
  }
}
