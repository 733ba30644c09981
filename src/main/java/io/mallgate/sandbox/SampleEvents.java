package io.mallgate.sandbox;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook events the simulator can send, with bodies shaped like Cafe24's:
 * {@code {"event_no": 90023, "resource": {"mall_id": "…", "event_shop_no": "1", …}}}. Only events whose meaning is
 * known are listed: a product and an order event, and the app lifecycle — 90077 app deleted, 90078 app expired,
 * 90079 app expiry extended. Each body carries a fresh {@code sample_no} (sandbox only), so two samples are two events,
 * as two real events differ by their own ids; a resend is sent by sending the same bytes again. Thread-safe.
 */
final class SampleEvents {

  /** Event number → what it means. */
  static final Map<Integer, String> KNOWN = new TreeMap<>(Map.of(
      90001, "product created",
      90023, "order placed",
      90077, "app deleted",
      90078, "app expired",
      90079, "app expiry extended"));

  private final AtomicLong samples = new AtomicLong();

  static boolean known(int eventNo) {
    return KNOWN.containsKey(eventNo);
  }

  /** {@code 90001 (product created), 90023 (order placed), …}: for a refusal that says what would work. */
  static String listing() {
    StringBuilder list = new StringBuilder();
    KNOWN.forEach((number, meaning) -> list.append(list.length() == 0 ? "" : ", ")
        .append(number).append(" (").append(meaning).append(')'));
    return list.toString();
  }

  /**
   * A body for one event.
   *
   * @throws IllegalArgumentException for an event number not in {@link #KNOWN}
   */
  JsonObject body(int eventNo, String mall, String clientId) {
    if (!known(eventNo)) {
      throw new IllegalArgumentException("unknown event number " + eventNo);
    }
    long sample = samples.incrementAndGet();
    JsonObject resource = new JsonObject().put("mall_id", mall).put("event_shop_no", "1");
    switch (eventNo) {
      case 90001 -> resource.put("product_no", 1000 + sample).put("product_name", "Sample product " + sample);
      case 90023 -> resource.put("order_id", String.format("20260101-%07d", sample));
      default -> resource.put("client_id", clientId);
    }
    return new JsonObject().put("event_no", eventNo).put("resource", resource.put("sample_no", sample));
  }
}
