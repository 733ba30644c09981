package io.mallgate.tracing;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.RecordedRequest;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.tracing.OtlpReceiver.Exported;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces end to end: a gateway whose {@code tracing.otlpEndpoint} is a real OTLP/HTTP receiver on loopback
 * ({@link OtlpReceiver}), in front of the simulated Cafe24, with a fan-out subscriber. After each test no canary —
 * the test config's secrets, every code and token the simulator issued, an OAuth state — is anywhere in the bytes
 * exported so far.
 */
@Timeout(60)
@Slow
class TracingEndToEndTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static OtlpReceiver receiver;
  static HttpServer subscriber;
  static final List<String> delivered = new CopyOnWriteArrayList<>();
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    receiver = new OtlpReceiver(fixture.vertx);
    subscriber = result(fixture.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      delivered.add(request.getHeader("X-Mallgate-Event-Id"));
      request.response().end();
    })).listen(0, "127.0.0.1"));
    gateway = fixture.deploy(traced(dir.resolve("traced")));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** What the tests exported must hold no secret, whatever they did. */
  @AfterEach
  void noCanaryExported() {
    assertEquals(List.of(), receiver.containing(Canaries.current()).stream().map(c -> c.length() + " chars").toList(),
        "a canary (shown by its length only) was exported in a span");
    assertEquals(List.of(), receiver.refused());
  }

  private static TestConfig traced(Path data) {
    return fixture.config("", data)
        .set("tracing.otlpEndpoint", receiver.url())
        .set("webhook.subscribers", Map.of("orders", Map.of("url",
            "http://127.0.0.1:" + subscriber.actualPort() + "/hooks?token=subscriber-query-secret", "timeout", "2s")))
        .set("webhook.delivery", Map.of("pollInterval", "100ms"));
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** Waits until spans matching each predicate were exported (flushing the batch each time), and returns them. */
  @SafeVarargs
  private static List<Exported> exported(RunningGateway from, Predicate<Exported>... wanted) {
    await("spans exported").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      from.gateway().tracing().flush();
      return List.of(wanted).stream().allMatch(each -> receiver.find(each).isPresent());
    });
    return List.of(wanted).stream().map(each -> receiver.find(each).orElseThrow()).toList();
  }

  private static Predicate<Exported> in(String traceId, String name) {
    return span -> span.traceId().equals(traceId) && span.name().equals(name);
  }

  private static HttpResponse<Buffer> get(RunningGateway to, String uri, String traceparent) {
    return result(fixture.client.get(to.port(), "127.0.0.1", uri)
        .putHeader("traceparent", traceparent)
        .putHeader("tracestate", "vendor=opaque-7")
        .send());
  }

  @Test
  void should_continue_the_callers_trace_with_token_and_cafe24_spans_when_a_request_carries_a_traceparent() {
    String mall = "trace-" + hex(3);
    fixture.install(gateway, mall);
    String traceId = hex(16);
    String callerSpan = hex(8);

    HttpResponse<Buffer> response = get(gateway, "/malls/" + mall + "/api/v2/admin/products?limit=5&since_id=777111",
        "00-" + traceId + "-" + callerSpan + "-01");

    assertEquals(200, response.statusCode(), response.bodyAsString());
    List<Exported> spans = exported(gateway, in(traceId, "GET /malls/{mall}/api/**"), in(traceId, "token.lookup"),
        in(traceId, "cafe24.call"));
    Exported server = spans.get(0);
    assertEquals(callerSpan, server.parentSpanId(), "the caller's span is the server span's parent");
    assertEquals("SERVER", server.kind());
    assertEquals("vendor=opaque-7", server.traceState());
    assertEquals("/malls/{mall}/api/**", server.attribute(Span.HTTP_ROUTE));
    assertEquals(mall, server.attribute(Span.MALL));
    assertEquals(200L, server.attribute(Span.HTTP_STATUS));
    assertEquals("mallgate", server.resource().get("service.name"));
    Exported lookup = spans.get(1);
    assertTrue(lookup.childOf(server));
    assertEquals("hit", lookup.attribute(Span.TOKEN_CACHE), "installed through the gateway: cached");
    Exported call = spans.get(2);
    assertTrue(call.childOf(server));
    assertEquals("CLIENT", call.kind());
    assertEquals(1L, call.attribute(Span.ATTEMPT));
    assertEquals(200L, call.attribute(Span.HTTP_STATUS));
    // The path Cafe24 was sent (the simulator's base URL puts the mall in front of it), without its query.
    assertEquals("/" + mall + "/api/v2/admin/products", call.attribute(Span.URL_PATH));
    assertEquals(List.of(), receiver.containing(List.of("777111")), "no query is recorded");
    RecordedRequest atCafe24 = fixture.simulator.requests().stream().filter(r -> r.mall().equals(mall)).findFirst()
        .orElseThrow();
    assertNull(atCafe24.headers().get("traceparent"), "no trace context goes to Cafe24");
    assertNull(atCafe24.headers().get("tracestate"));
  }

  @Test
  void should_trace_the_refresh_its_lock_wait_and_the_token_endpoint_call_when_the_token_has_expired() {
    String mall = "refresh-" + hex(3);
    fixture.install(gateway, mall, GatewayFixture.expiringAt(fixture.simulator.issueTokens(mall),
        Instant.now().minusSeconds(60)));
    String traceId = hex(16);

    assertEquals(200, get(gateway, "/malls/" + mall + "/api/v2/admin/products", "00-" + traceId + "-" + hex(8) + "-01")
        .statusCode());

    List<Exported> spans = exported(gateway, in(traceId, "token.lookup"), in(traceId, "token.refresh"),
        in(traceId, "token.refresh.lock"), in(traceId, "cafe24.token"), in(traceId, "cafe24.call"));
    Exported lookup = spans.get(0);
    Exported refresh = spans.get(1);
    assertTrue(refresh.childOf(lookup), "the lookup waited for the refresh");
    assertEquals("refreshed", refresh.attribute(Span.REFRESH_OUTCOME));
    assertEquals(mall, refresh.attribute(Span.MALL));
    assertTrue(spans.get(2).childOf(refresh), "the lock wait");
    Exported endpoint = spans.get(3);
    assertTrue(endpoint.childOf(refresh));
    assertEquals("CLIENT", endpoint.kind());
    assertEquals(1L, endpoint.attribute(Span.ATTEMPT));
    assertEquals(200L, endpoint.attribute(Span.HTTP_STATUS));
    assertEquals("/" + mall + "/api/v2/oauth/token", endpoint.attribute(Span.URL_PATH));
    assertFalse(spans.get(4).error());
  }

  @Test
  void should_number_each_try_and_trace_the_refresh_a_401_asked_for_when_cafe24_refuses_the_token() {
    String mall = "unauthorized-" + hex(3);
    fixture.install(gateway, mall);
    String traceId = hex(16);

    assertEquals(401, get(gateway, "/malls/" + mall + "/api/v2/admin/always401", "00-" + traceId + "-" + hex(8) + "-01")
        .statusCode());

    Exported server = exported(gateway, in(traceId, "GET /malls/{mall}/api/**"), in(traceId, "cafe24.token")).get(0);
    assertEquals(401L, server.attribute(Span.HTTP_STATUS));
    assertFalse(server.error(), "a 4xx is the caller's answer, not the gateway failing");
    List<Exported> tries = receiver.all(in(traceId, "cafe24.call"));
    assertEquals(List.of(1L, 2L), tries.stream().map(each -> each.attribute(Span.ATTEMPT)).sorted().toList(),
        "the first try, then the replay with the refreshed token");
    assertTrue(tries.stream().allMatch(each -> each.childOf(server) && each.error()
        && Long.valueOf(401).equals(each.attribute(Span.HTTP_STATUS))));
    Exported refresh = receiver.find(in(traceId, "token.refresh")).orElseThrow();
    assertTrue(refresh.childOf(server), "the 401 asked for it");
    assertEquals("refreshed", refresh.attribute(Span.REFRESH_OUTCOME));
    assertTrue(receiver.find(in(traceId, "cafe24.token")).orElseThrow().childOf(refresh));
  }

  @Test
  void should_trace_the_webhook_intake_and_its_fanout_delivery_under_the_same_event_id() {
    byte[] event = ("{\"event_no\":90023,\"resource\":{\"mall_id\":\"hooked\",\"n\":\"" + hex(6) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> accepted = result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook")
        .putHeader("X-API-Key", TestConfig.WEBHOOK_API_KEY).sendBuffer(Buffer.buffer(event)));

    assertEquals(200, accepted.statusCode(), accepted.bodyAsString());
    String id = accepted.bodyAsJsonObject().getString("id");
    List<Exported> spans = exported(gateway,
        span -> span.kind().equals("SERVER") && id.equals(span.attribute(Span.WEBHOOK_ID)),
        span -> span.name().equals("webhook.delivery") && id.equals(span.attribute(Span.WEBHOOK_ID)));
    Exported intake = spans.get(0);
    assertEquals("POST /webhook", intake.name());
    assertEquals("accepted", intake.attribute(Span.WEBHOOK_OUTCOME));
    assertEquals("90023", intake.attribute(Span.WEBHOOK_EVENT_NO));
    assertEquals("hooked", intake.attribute(Span.MALL));
    assertTrue(receiver.find(in(intake.traceId(), "webhook.record")).orElseThrow().childOf(intake));
    Exported delivery = spans.get(1);
    assertEquals("CLIENT", delivery.kind());
    assertEquals("orders", delivery.attribute(Span.SUBSCRIBER));
    assertEquals(1L, delivery.attribute(Span.ATTEMPT));
    assertEquals(200L, delivery.attribute(Span.HTTP_STATUS));
    assertEquals("", delivery.parentSpanId(), "a delivery is work of the gateway's own: a trace of its own");
    assertTrue(delivered.contains(id));
    assertEquals(List.of(), receiver.containing(List.of(TestConfig.WEBHOOK_API_KEY, "subscriber-query-secret",
        "/hooks")), "neither the key nor the subscriber's URL is recorded");
  }

  @Test
  void should_record_neither_code_nor_state_when_an_install_completes_through_the_oauth_callback() {
    WebClient browser = WebClient.create(fixture.vertx, new WebClientOptions().setFollowRedirects(false));
    String mall = "install-" + hex(3);
    HttpResponse<Buffer> install = result(browser.get(gateway.port(), "127.0.0.1", "/oauth/install?mall_id=" + mall)
        .putHeader("Accept", "application/json").send());
    String callback = result(browser.getAbs(install.getHeader("Location")).send()).getHeader("Location");
    Map<String, String> query = query(callback);
    Canaries.add(query.get("state"));
    Canaries.add(query.get("code"));

    HttpResponse<Buffer> done = result(browser.getAbs(callback).putHeader("Accept", "application/json").send());

    assertEquals(200, done.statusCode(), done.bodyAsString());
    Exported span = exported(gateway, each -> "/oauth/callback".equals(each.attribute(Span.URL_PATH))).get(0);
    assertEquals(200L, span.attribute(Span.HTTP_STATUS));
    assertEquals(List.of(), receiver.containing(List.of(query.get("code"), query.get("state"))));
  }

  @Test
  void should_follow_the_callers_sampling_decision_whatever_the_ratio_when_a_traceparent_is_sent() {
    RunningGateway unsampled = fixture.deploy(traced(dir.resolve("ratio-0")).set("tracing.sampleRatio", 0));
    try {
      String mall = "ratio-" + hex(3);
      fixture.install(unsampled, mall);
      String uri = "/malls/" + mall + "/api/v2/admin/products";
      String declined = hex(16);
      String own = hex(16);
      String sampled = hex(16);

      get(unsampled, uri, "00-" + declined + "-" + hex(8) + "-00"); // the caller did not sample
      get(unsampled, uri, "not-a-traceparent-" + own); // none usable: the ratio (0) decides
      get(unsampled, uri, "00-" + sampled + "-" + hex(8) + "-01");

      exported(unsampled, in(sampled, "GET /malls/{mall}/api/**"));
      // Ended before the sampled request started, so exported no later than its spans: none at all.
      assertEquals(List.of(), receiver.all(span -> span.traceId().equals(declined)
          || mall.equals(span.attribute(Span.MALL)) && !span.traceId().equals(sampled)));
    } finally {
      result(unsampled.stop());
    }
  }

  @Test
  void should_export_the_last_spans_when_the_gateway_stops() {
    RunningGateway stopping = fixture.deploy(traced(dir.resolve("stopping")));
    String mall = "stop-" + hex(3);
    fixture.install(stopping, mall);
    String traceId = hex(16);
    assertEquals(200, get(stopping, "/malls/" + mall + "/api/v2/admin/products", "00-" + traceId + "-" + hex(8) + "-01")
        .statusCode());

    result(stopping.stop()); // no flush: the batch's 5 s have not passed, the stop exports what is left

    assertTrue(receiver.find(in(traceId, "cafe24.call")).isPresent());
    assertTrue(receiver.find(in(traceId, "GET /malls/{mall}/api/**")).isPresent());
  }

  @Test
  void should_build_no_sdk_and_start_no_thread_when_no_endpoint_is_set() {
    Set<String> before = exporterThreads();
    RunningGateway off = fixture.deploy(fixture.config("", dir.resolve("off")));
    try {
      assertSame(Tracing.OFF, off.gateway().tracing());
      String mall = "off-" + hex(3);
      fixture.install(off, mall);
      int payloads = receiver.payloadCount();
      assertEquals(200, get(off, "/malls/" + mall + "/api/v2/admin/products", "00-" + hex(16) + "-" + hex(8) + "-01")
          .statusCode());
      assertEquals(before, exporterThreads(), "no exporter thread started");
      assertEquals(payloads, receiver.payloadCount());
      RecordedRequest atCafe24 = fixture.simulator.requests().stream().filter(r -> r.mall().equals(mall)).findFirst()
          .orElseThrow();
      assertNull(atCafe24.headers().get("traceparent"));
    } finally {
      result(off.stop());
    }
  }

  private static Set<String> exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("BatchSpanProcessor")).collect(java.util.stream.Collectors.toSet());
  }

  private static Map<String, String> query(String url) {
    Map<String, String> values = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }
}
