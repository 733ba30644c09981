package io.mallgate.metrics;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real gateway in front of the simulator. Each test deploys its own gateway, so the numbers
 * it reads are the traffic it sent: that each gateway owns its registry is part of what is tested.
 */
@Timeout(60)
class MetricsEndpointTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    // A mall path that answers the status the test asks for: ?code=503 plays a sick Cafe24.
    fixture.simulator.adminRoute("/status").handler(ctx -> ctx.response()
        .setStatusCode(Integer.parseInt(ctx.queryParams().get("code")))
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":{\"code\":" + ctx.queryParams().get("code") + ",\"message\":\"sick\"}}"));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static RunningGateway deploy(String name) {
    return fixture.deploy(fixture.config("", dir.resolve(name))
        .set("malls.allow", List.of("shop1", "sick1"))
        .set("breaker.failureThreshold", 2)
        .set("breaker.failureStatuses", List.of(503)));
  }

  private static Scrape scrape(RunningGateway gateway) {
    HttpResponse<Buffer> response = fixture.get(gateway, "/metrics");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return new Scrape(response.bodyAsString());
  }

  @Test
  void should_answer_prometheus_text_with_every_meter_when_scraped() {
    RunningGateway gateway = deploy("text");
    fixture.get(gateway, "/nowhere");
    HttpResponse<Buffer> response = fixture.get(gateway, "/metrics");

    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("text/plain; version=0.0.4"),
        response.getHeader("Content-Type"));
    String body = response.bodyAsString();
    for (String meter : List.of("mallgate_requests_total{", "mallgate_request_duration_seconds_bucket{",
        "mallgate_circuit_malls{state=\"open\"} 0.0", "mallgate_circuit_transitions_total{to=\"open\"} 0.0",
        "mallgate_refreshes_total{outcome=\"refreshed\",reason=\"none\"} 0.0")) {
      assertTrue(body.contains(meter), meter + " missing from:\n" + body);
    }
    long buckets = body.lines().filter(line -> line.startsWith("mallgate_request_duration_seconds_bucket{")).count();
    assertEquals(RequestMeters.BUCKETS.length + 1, buckets, "one status class seen: its fixed buckets and +Inf");
  }

  @Test
  void should_count_requests_by_status_class_and_gateway_code_when_traffic_is_known() {
    RunningGateway gateway = deploy("counts");
    fixture.install(gateway, "shop1");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");
    fixture.get(gateway, "/malls/Bad.Mall/api/v2/admin/products");
    fixture.get(gateway, "/malls/other1/api/v2/admin/products");
    fixture.get(gateway, "/malls/shop1/api/v2/oauth/token");

    Scrape scrape = scrape(gateway);
    assertEquals(2.0, scrape.value("mallgate_requests_total", "status_class=2xx", "gateway_code=none"));
    assertEquals(1.0, scrape.value("mallgate_requests_total", "status_class=4xx", "gateway_code=invalid_mall_id"));
    assertEquals(1.0, scrape.value("mallgate_requests_total", "status_class=4xx", "gateway_code=mall_not_allowed"));
    assertEquals(1.0, scrape.value("mallgate_requests_total", "status_class=4xx", "gateway_code=invalid_path"));
    assertEquals(5.0, scrape.value("mallgate_request_duration_seconds_count"));
    assertEquals(2.0, scrape.value("mallgate_request_duration_seconds_bucket", "status_class=2xx", "le=+Inf"));
    assertEquals(2.0, scrape.value("mallgate_upstream_duration_seconds_count"), "the two Cafe24 answered");
    assertEquals(2.0, scrape.value("mallgate_rate_wait_seconds_count"), "only calls that went for a slot");
  }

  @Test
  void should_label_requests_by_mall_only_for_listed_malls_when_the_mall_label_is_on() {
    RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("labelled"))
        .set("malls.allow", List.of("shop1", "sick1"))
        .set("metrics.mallLabel", true));
    fixture.install(gateway, "shop1");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");
    fixture.get(gateway, "/malls/stranger/api/v2/admin/products");
    fixture.get(gateway, "/nowhere");

    Scrape scrape = scrape(gateway);
    assertEquals(1.0, scrape.value("mallgate_requests_total", "mall=shop1", "status_class=2xx"));
    assertEquals(1.0, scrape.value("mallgate_requests_total", "mall=none", "gateway_code=mall_not_allowed"),
        "a refused mall is no label value");
    assertEquals(1.0, scrape.value("mallgate_requests_total", "mall=none", "gateway_code=not_found"));
    assertFalse(scrape.body().contains("stranger"));

    // A reload that allows one more mall gives it a label of its own at once.
    gateway.gateway().reload(fixture.config("", dir.resolve("labelled"))
        .set("malls.allow", List.of("shop1", "sick1", "shop2"))
        .set("metrics.mallLabel", true).build());
    fixture.install(gateway, "shop2");
    fixture.get(gateway, "/malls/shop2/api/v2/admin/products");
    assertEquals(1.0, scrape(gateway).value("mallgate_requests_total", "mall=shop2", "status_class=2xx"));
  }

  @Test
  void should_time_every_redis_command_by_name_when_the_store_is_redis() {
    RunningGateway gateway = fixture.deploy(fixture.config(io.mallgate.testsupport.RedisServer.shared().url(),
        dir.resolve("redis")).set("malls.allow", List.of("shop1")));
    fixture.install(gateway, "shop1");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");

    Scrape scrape = scrape(gateway);
    assertTrue(scrape.value("mallgate_redis_command_duration_seconds_count", "command=evalsha") >= 1,
        "the install's compare-and-set script:\n" + scrape.body());
    assertTrue(scrape.body().contains("mallgate_redis_command_duration_seconds_bucket{command=\"evalsha\",le=\"0.001\"}"),
        scrape.body());
    assertFalse(scrape.body().contains("mallgate_redis_command_errors_total{"), "no command failed");
  }

  @Test
  void should_show_the_open_circuit_and_its_transition_when_a_mall_keeps_failing() {
    RunningGateway gateway = deploy("circuit");
    fixture.install(gateway, "sick1");
    String refused = null;
    for (int i = 0; i < 10 && refused == null; i++) {
      refused = fixture.get(gateway, "/malls/sick1/api/v2/admin/status?code=503").getHeader("X-Mallgate-Error");
    }
    assertEquals("circuit_open", refused);

    Scrape scrape = scrape(gateway);
    assertEquals(1.0, scrape.value("mallgate_circuit_malls", "state=open"));
    assertEquals(0.0, scrape.value("mallgate_circuit_malls", "state=closed"));
    assertTrue(scrape.value("mallgate_circuit_transitions_total", "to=open") >= 1, scrape.body());
    assertEquals(1.0, scrape.value("mallgate_requests_total", "status_class=5xx", "gateway_code=circuit_open"));
    assertEquals(2.0, scrape.value("mallgate_requests_total", "status_class=5xx", "gateway_code=none"),
        "Cafe24's own 503s pass through and count as none");
  }

  @Test
  void should_count_a_refresh_when_the_admin_forces_one() {
    RunningGateway gateway = deploy("refresh");
    fixture.install(gateway, "shop1");
    assertEquals(200, fixture.admin(gateway, HttpMethod.POST, "/admin/malls/shop1/refresh").statusCode());

    Scrape scrape = scrape(gateway);
    assertEquals(1.0, scrape.value("mallgate_refreshes_total", "outcome=refreshed"));
    assertEquals(1.0, scrape.value("mallgate_refresh_lock_wait_seconds_count"), "the refresh took the mall's lock");
    assertFalse(scrape.body().contains("outcome=\"reauthorization_required\""), "nothing was marked");
  }

  @Test
  void should_count_webhooks_by_outcome_when_cafe24_posts_copies_and_forgeries() {
    RunningGateway gateway = deploy("webhooks");
    byte[] event = "{\"event_no\":90023,\"resource\":{\"mall_id\":\"shop1\"}}".getBytes(StandardCharsets.UTF_8);
    for (String sent : new String[] {TestConfig.WEBHOOK_API_KEY, TestConfig.WEBHOOK_API_KEY, "forged"}) {
      result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook").putHeader("X-API-Key", sent)
          .sendBuffer(Buffer.buffer(event)));
    }

    Scrape scrape = scrape(gateway);
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=accepted"));
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=duplicate"));
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=unverified"));
    assertEquals(0.0, scrape.value("mallgate_webhook_app_removals_total"));
  }

  @Test
  void should_count_only_its_own_requests_when_two_gateways_share_a_jvm() {
    RunningGateway busy = deploy("busy");
    RunningGateway idle = deploy("idle");
    for (int i = 0; i < 3; i++) {
      fixture.get(busy, "/nowhere");
    }

    assertEquals(3.0, scrape(busy).value("mallgate_requests_total", "gateway_code=not_found"));
    assertEquals(0.0, scrape(idle).value("mallgate_requests_total", "gateway_code=not_found"));
  }

  @Test
  void should_never_show_a_secret_or_a_mall_id_when_scraped_after_traffic() {
    RunningGateway gateway = deploy("secrets");
    JsonObject tokens = fixture.install(gateway, "shop1");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");
    fixture.admin(gateway, HttpMethod.POST, "/admin/malls/shop1/refresh");
    fixture.get(gateway, "/malls/sick1/api/v2/admin/status?code=503");

    String body = scrape(gateway).body();
    for (String secret : List.of(TestConfig.CLIENT_SECRET, TestConfig.ADMIN_TOKEN,
        TestConfig.TOKEN_KEY.substring(TestConfig.TOKEN_KEY.indexOf(':') + 1), tokens.getString("access_token"),
        tokens.getString("refresh_token"), fixture.simulator.latestRefreshToken("shop1"), "shop1", "sick1")) {
      assertFalse(body.contains(secret), "the scrape shows " + secret);
    }
  }

  @Test
  void should_count_status_class_none_when_the_caller_leaves_before_the_answer() throws IOException {
    RunningGateway gateway = deploy("left");
    fixture.install(gateway, "shop1");
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      String request = "GET /malls/shop1/api/v2/admin/slow?ms=3000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    }
    // The close reaches the gateway on another connection than the scrapes: read until it has been seen.
    double left = 0;
    for (int i = 0; i < 100 && left == 0; i++) {
      left = scrape(gateway).value("mallgate_requests_total", "status_class=none");
    }
    assertEquals(1.0, left, "a caller that left is counted once, and not as a success");
  }

  @Test
  void should_answer_not_found_when_metrics_are_disabled() {
    RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("off")).set("metrics.enabled", false));
    HttpResponse<Buffer> response = fixture.get(gateway, "/metrics");
    assertEquals(404, response.statusCode());
    assertEquals("not_found", response.getHeader("X-Mallgate-Error"));
  }
}
