package io.mallgate.webhook;

import io.mallgate.cafe24.Cafe24Time;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A verified webhook as it is recorded: the raw body, kept byte for byte, with what consumers filter on. Built only
 * after verification: this is the first place the body is parsed.
 *
 * @param route      {@code default} for {@code POST /webhook}, else the route's name
 * @param mall       {@code resource.mall_id} as sent, or {@code ""} when absent (not validated: a field, never a key)
 * @param eventNo    {@code event_no} as text, or {@code ""} when absent
 * @param receivedAt when the gateway received it
 * @param sha256     lower-case hex SHA-256 of the body: the de-duplication identity
 * @param body       the raw body
 */
public record WebhookEvent(String route, String mall, String eventNo, Instant receivedAt, String sha256,
    Buffer body) {

  /** The route name of {@code POST /webhook}. */
  public static final String DEFAULT_ROUTE = "default";

  /** Reads the fields a consumer filters on; a body that is not a JSON object is still recorded, with empty ones. */
  public static WebhookEvent of(String route, Buffer body, Instant receivedAt) {
    String mall = "";
    String eventNo = "";
    try {
      JsonObject json = new JsonObject(body);
      Object number = json.getValue("event_no");
      eventNo = number instanceof Number || number instanceof String ? String.valueOf(number) : "";
      Object resource = json.getValue("resource");
      Object id = resource instanceof JsonObject r ? r.getValue("mall_id") : null;
      mall = id instanceof String s ? s : "";
    } catch (DecodeException | ClassCastException e) {
      // Verified, so it came from Cafe24: keep it for the consumers rather than make Cafe24 resend it forever.
    }
    String sha256 = HexFormat.of().formatHex(WebhookVerifier.sha256(body.getBytes()));
    return new WebhookEvent(route, mall, eventNo, receivedAt, sha256, body);
  }

  /** The stream entry's text fields, as name, value pairs in order; the {@code body} field follows them. */
  public List<String> textFields() {
    return List.of("route", route, "mall_id", mall, "event_no", eventNo, "received_at",
        Cafe24Time.iso(receivedAt), "sha256", sha256);
  }

  @Override
  public String toString() {
    // Never the body: it may carry personal data of the mall's customers.
    return "WebhookEvent[route=" + route + ", event_no=" + eventNo + ", bytes=" + body.length() + "]";
  }
}
