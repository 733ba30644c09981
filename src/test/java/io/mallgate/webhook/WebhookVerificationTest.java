package io.mallgate.webhook;

import static io.mallgate.webhook.WebhookTestSupport.post;
import static io.mallgate.webhook.WebhookTestSupport.xlen;
import static io.mallgate.webhook.WebhookTestSupport.xrange;
import static io.mallgate.webhook.WebhookVerifierTest.KEY;
import static io.mallgate.webhook.WebhookVerifierTest.KOREAN;
import static io.mallgate.webhook.WebhookVerifierTest.KOREAN_HEX;
import static io.mallgate.webhook.WebhookVerifierTest.ORDER;
import static io.mallgate.webhook.WebhookVerifierTest.ORDER_BASE64;
import static io.mallgate.webhook.WebhookVerifierTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway on a real Redis: only a verified, bounded body reaches the stream. */
@Timeout(60)
@Slow
class WebhookVerificationTest {

  static final String HEADER = "X-Cafe24-Hmac-Sha256";
  static final String CANARY_KEY = "CANARY-WEBHOOK-KEY-90ab";
  static final String STREAM = "test:webhooks:verification:" + System.nanoTime();
  static final String HEX_STREAM_ENTRIES = STREAM;

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    gateway = fixture.deploy(fixture.config(RedisServer.shared().url(), dir)
        // HMAC, not the default api-key: this class proves the HMAC scheme for the senders that use it.
        .set("webhook.schemes", List.of("hmac"))
        .set("webhook.secrets", List.of(KEY))
        .set("webhook.stream", STREAM)
        .set("webhook.maxBodySize", "1KiB")
        .set("webhook.bodyTimeout", "300ms")
        .set("webhook.routes", Map.of(
            "hexed", Map.of("schemes", List.of("hmac"), "encoding", "hex", "secrets", List.of("not-this-one", KEY)),
            "keyed", Map.of("schemes", List.of("hmac", "api-key"), "secrets", List.of(KEY),
                "apiKeys", List.of(CANARY_KEY)))));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static long entries() {
    return xlen(fixture.vertx, RedisServer.shared().url(), STREAM);
  }

  @Test
  void should_record_the_raw_body_with_its_fields_when_the_openssl_vector_verifies() {
    long before = entries();
    HttpResponse<Buffer> response = post(fixture, gateway, "/webhook", utf8(ORDER), HEADER, ORDER_BASE64);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertTrue(List.of("accepted", "duplicate").contains(response.bodyAsJsonObject().getString("status")));
    String id = response.bodyAsJsonObject().getString("id");
    Response entry = null;
    for (Response candidate : xrange(fixture.vertx, RedisServer.shared().url(), STREAM)) {
      if (candidate.get(0).toString().equals(id)) {
        entry = candidate.get(1);
      }
    }
    assertTrue(entry != null && entries() <= before + 1, "one entry, under the answered id");
    Map<String, Response> fields = new java.util.HashMap<>();
    for (int i = 0; i < entry.size(); i += 2) {
      fields.put(entry.get(i).toString(), entry.get(i + 1));
    }
    assertEquals("vectors", fields.get("mall_id").toString());
    assertEquals("90023", fields.get("event_no").toString());
    assertEquals("default", fields.get("route").toString());
    assertTrue(fields.get("received_at").toString().endsWith("+09:00"), fields.get("received_at").toString());
    assertArrayEquals(utf8(ORDER), fields.get("body").toBytes());
  }

  @Test
  void should_verify_a_korean_body_when_signed_in_hex_on_a_named_route() {
    HttpResponse<Buffer> response = post(fixture, gateway, "/webhook/hexed", utf8(KOREAN), HEADER, KOREAN_HEX);
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  void should_answer_403_and_store_nothing_when_the_signature_or_body_is_wrong() {
    byte[] changed = utf8(ORDER);
    changed[10] ^= 1;
    byte[] spaced = utf8(ORDER.replace(",", ", "));
    long before = entries();
    List<HttpResponse<Buffer>> refused = List.of(
        post(fixture, gateway, "/webhook", changed, HEADER, ORDER_BASE64),
        post(fixture, gateway, "/webhook", spaced, HEADER, ORDER_BASE64),
        post(fixture, gateway, "/webhook", utf8(ORDER)),
        post(fixture, gateway, "/webhook", utf8(ORDER), HEADER, ORDER_BASE64.substring(4)),
        post(fixture, gateway, "/webhook", utf8(ORDER), HEADER, "%%" + ORDER_BASE64.substring(2)),
        post(fixture, gateway, "/webhook/hexed", utf8(ORDER), HEADER, "zz" + KOREAN_HEX.substring(2)),
        post(fixture, gateway, "/webhook/keyed", utf8(ORDER), HEADER, ORDER_BASE64),
        post(fixture, gateway, "/webhook/keyed", utf8(ORDER), HEADER, ORDER_BASE64, "X-API-Key", "wrong"));
    for (HttpResponse<Buffer> response : refused) {
      assertEquals(403, response.statusCode(), response.bodyAsString());
      assertEquals("webhook_unverified", response.getHeader("X-Mallgate-Error"));
    }
    assertEquals(before, entries(), "nothing stored");
  }

  @Test
  void should_accept_when_both_schemes_pass_on_a_named_route() {
    HttpResponse<Buffer> response = post(fixture, gateway, "/webhook/keyed", utf8(ORDER), HEADER, ORDER_BASE64,
        "X-API-Key", CANARY_KEY);
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  void should_answer_404_when_the_route_is_not_configured() {
    assertEquals(404, post(fixture, gateway, "/webhook/nope", utf8(ORDER), HEADER, ORDER_BASE64).statusCode());
    assertEquals(404, post(fixture, gateway, "/webhook/default", utf8(ORDER), HEADER, ORDER_BASE64).statusCode());
  }

  @Test
  void should_answer_413_before_hashing_and_store_nothing_when_the_body_is_over_the_limit() {
    long before = entries();
    byte[] big = utf8("{\"event_no\":90023,\"pad\":\"" + "x".repeat(2000) + "\"}");
    HttpResponse<Buffer> declared = post(fixture, gateway, "/webhook", big, HEADER,
        WebhookTestSupport.sign(KEY, big));
    assertEquals(413, declared.statusCode());
    assertEquals("body_too_large", declared.getHeader("X-Mallgate-Error"));
    String chunked = RawHttp.exchange(gateway.port(), "POST /webhook HTTP/1.1\r\nHost: x\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n400\r\n" + "x".repeat(1024) + "\r\n400\r\n" + "x".repeat(1024) + "\r\n");
    assertEquals(413, RawHttp.status(chunked), chunked);
    assertEquals(before, entries());
  }

  @Test
  void should_answer_408_when_the_body_is_too_slow() {
    String reply = RawHttp.exchange(gateway.port(), "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
        + "\r\n{\"event_no\":");
    assertEquals(408, RawHttp.status(reply), reply);
    assertTrue(reply.contains("body_timeout"), reply);
  }

  @Test
  void should_never_log_or_answer_a_secret_or_a_body_when_verification_fails() {
    byte[] body = utf8("{\"event_no\":90023,\"resource\":{\"mall_id\":\"canary\",\"note\":\"BODY-CANARY-77\"}}");
    try (LogCapture logs = LogCapture.capture()) {
      List<HttpResponse<Buffer>> responses = List.of(
          post(fixture, gateway, "/webhook/keyed", body, HEADER, WebhookTestSupport.sign(CANARY_KEY, body),
              "X-API-Key", CANARY_KEY + "x"),
          post(fixture, gateway, "/webhook/keyed", body, HEADER, WebhookTestSupport.sign(KEY, body) + "AA",
              "X-API-Key", CANARY_KEY),
          post(fixture, gateway, "/webhook", body, HEADER, WebhookTestSupport.sign(CANARY_KEY, body)));
      for (HttpResponse<Buffer> response : responses) {
        assertEquals(403, response.statusCode());
        assertFalse(response.bodyAsString().contains(CANARY_KEY), response.bodyAsString());
        assertFalse(response.bodyAsString().contains("BODY-CANARY"), response.bodyAsString());
      }
      assertFalse(logs.lines().stream().noneMatch(line -> line.contains("webhook refused")), "a WARN line each");
      assertEquals(List.of(), logs.linesContaining(CANARY_KEY, "BODY-CANARY", KEY,
          WebhookTestSupport.sign(CANARY_KEY, body)));
    }
    assertTrue(gateway.gateway().webhookCounters().unverifiedCount() >= 3);
  }
}
