package io.mallgate.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON bodies the HTTP sinks send. Pure functions of an {@link Alert}; thread-safe. */
final class AlertPayloads {

  private AlertPayloads() {
  }

  /**
   * The generic webhook's body: {@code {"source":"mallgate","condition":…,"mall":…,"summary":…,"at":…,"details":{…}}},
   * {@code at} in ISO-8601 UTC, {@code mall} empty for gateway-wide alerts.
   */
  static JsonObject generic(Alert alert) {
    return new JsonObject()
        .put("source", "mallgate")
        .put("condition", alert.condition())
        .put("mall", alert.mall())
        .put("summary", alert.summary())
        .put("at", alert.at().toString())
        .put("details", new JsonObject(new java.util.LinkedHashMap<>(alert.details())));
  }

  /**
   * Slack's incoming-webhook body: {@code text} (what notifications and old clients show) plus blocks: a section with
   * the summary and a context line with the mall, the condition and the time. Slack's control characters
   * ({@code & < >}) are escaped, so no text from outside can turn into a link or a mention.
   */
  static JsonObject slack(Alert alert) {
    String title = ":warning: *Mallgate: " + alert.condition().replace('_', ' ') + "*";
    String text = title + "\n" + escape(alert.summary());
    String context = (alert.mall().isEmpty() ? "gateway" : "mall `" + escape(alert.mall()) + "`")
        + " · `" + alert.condition() + "` · " + alert.at();
    return new JsonObject()
        .put("text", text)
        .put("blocks", new JsonArray()
            .add(new JsonObject().put("type", "section")
                .put("text", new JsonObject().put("type", "mrkdwn").put("text", text)))
            .add(new JsonObject().put("type", "context")
                .put("elements", new JsonArray().add(new JsonObject().put("type", "mrkdwn").put("text", context)))));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
