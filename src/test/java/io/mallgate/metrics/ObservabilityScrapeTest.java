package io.mallgate.metrics;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.Promtool;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The scrape of a gateway that has served every kind of traffic (successes, the gateway's own refusals, Cafe24's
 * errors and 429, an open circuit, a refresh, a mall marked for reinstall, webhooks, a Redis outage) against what is
 * shipped to read it: {@code promtool check metrics} accepts it, and every metric that the alerting rules and the
 * Grafana dashboard under {@code docker/observability/} query is in it.
 */
@Timeout(120)
class ObservabilityScrapeTest {

  static final Path RULES = Path.of("docker", "observability", "prometheus", "alerts.yml");
  static final Path DASHBOARD = Path.of("docker", "observability", "grafana", "dashboards", "mallgate.json");
  /** A Mallgate metric name in PromQL (digits too: {@code mallgate_cafe24_throttled_total}). */
  private static final Pattern METRIC = Pattern.compile("mallgate_[a-z0-9_]+");
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_sum", "_count");

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RedisServer redis;
  static HttpServer subscriber;
  static Scrape scrape;

  @BeforeAll
  static void serveTrafficAndScrape() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    fixture.simulator.adminRoute("/status").handler(ctx -> ctx.response()
        .setStatusCode(Integer.parseInt(ctx.queryParams().get("code")))
        .putHeader("Content-Type", "application/json")
        .end("{\"error\":{\"code\":" + ctx.queryParams().get("code") + ",\"message\":\"sick\"}}"));
    redis = RedisServer.dedicated();
    // A fan-out subscriber that takes everything: the fan-out meters per subscriber are in the scrape.
    subscriber = result(fixture.vertx.createHttpServer().requestHandler(request -> request.response().end())
        .listen(0, "127.0.0.1"));
    RunningGateway gateway = fixture.deploy(fixture.config(redis.url(), dir)
        .set("webhook.subscribers", Map.of("audit", Map.of("url", "http://127.0.0.1:" + subscriber.actualPort() + "/hooks")))
        .set("malls.allow", List.of("shop1", "sick1", "gone1"))
        .set("breaker.failureThreshold", 2)
        .set("breaker.failureStatuses", List.of(503)));
    serve(gateway);
    scrape = new Scrape(fixture.get(gateway, "/metrics").bodyAsString());
  }

  /** One of each kind of traffic the rules and the dashboard watch. */
  private static void serve(RunningGateway gateway) {
    fixture.install(gateway, "shop1");
    fixture.get(gateway, "/malls/shop1/api/v2/admin/products");
    fixture.get(gateway, "/nowhere");
    fixture.get(gateway, "/malls/Bad.Mall/api/v2/admin/products");
    // Cafe24's own 429, passed through (a POST: never retried).
    result(fixture.client.post(gateway.port(), "127.0.0.1", "/malls/shop1/api/v2/admin/status?code=429").send());
    fixture.install(gateway, "sick1");
    for (int i = 0; i < 4; i++) {
      fixture.get(gateway, "/malls/sick1/api/v2/admin/status?code=503");
    }
    fixture.admin(gateway, HttpMethod.POST, "/admin/malls/shop1/refresh");
    fixture.install(gateway, "gone1");
    fixture.simulator.revokeAll("gone1");
    fixture.admin(gateway, HttpMethod.POST, "/admin/malls/gone1/refresh");
    byte[] event = "{\"event_no\":90023,\"resource\":{\"mall_id\":\"shop1\"}}".getBytes(StandardCharsets.UTF_8);
    for (String key : new String[] {TestConfig.WEBHOOK_API_KEY, "forged"}) {
      result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook").putHeader("X-API-Key", key)
          .sendBuffer(Buffer.buffer(event)));
    }
    await("the accepted webhook fanned out").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> gateway.gateway().fanoutCounters().deliveredCount() == 1);
    // The token store down: the next webhook cannot be recorded (503 store_failed, a Redis command error).
    redis.stop();
    result(fixture.client.post(gateway.port(), "127.0.0.1", "/webhook").putHeader("X-API-Key",
        TestConfig.WEBHOOK_API_KEY).sendBuffer(Buffer.buffer(event)));
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void should_have_served_each_kind_of_traffic_when_scraped() {
    assertTrue(scrape.value("mallgate_requests_total", "status_class=2xx") >= 1, scrape.body());
    assertTrue(scrape.value("mallgate_requests_total", "gateway_code=circuit_open") >= 1, scrape.body());
    assertEquals(1.0, scrape.value("mallgate_cafe24_throttled_total"), "Cafe24's 429, passed through");
    assertEquals(1.0, scrape.value("mallgate_refreshes_total", "outcome=refreshed"), scrape.body());
    assertEquals(1.0, scrape.value("mallgate_refreshes_total", "outcome=reauthorization_required"), scrape.body());
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=accepted"), scrape.body());
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=unverified"), scrape.body());
    assertEquals(1.0, scrape.value("mallgate_webhooks_total", "outcome=store_failed"), scrape.body());
    assertTrue(scrape.value("mallgate_redis_command_errors_total") >= 1, scrape.body());
    assertEquals(1.0, scrape.value("mallgate_webhook_fanout_delay_seconds_count", "subscriber=audit"), scrape.body());
  }

  @Test
  void should_pass_promtool_check_metrics_when_a_gateway_that_served_traffic_is_scraped() {
    Promtool.Result checked = Promtool.require().run(scrape.body(), "check", "metrics");
    assertEquals(0, checked.exit(), checked.output());
    assertEquals("", checked.output().strip(), "promtool's lint findings");
  }

  @Test
  void should_find_every_metric_the_alert_rules_query_when_scraped() throws IOException {
    Set<String> used = metricsIn(ruleExpressions());
    assertTrue(used.size() >= 8, "too few metrics in the rules to trust the parse: " + used);
    assertEquals(Set.of(), missing(used));
  }

  @Test
  void should_find_every_metric_the_dashboard_queries_when_scraped() throws IOException {
    Set<String> used = metricsIn(dashboardExpressions());
    assertTrue(used.size() >= 10, "too few metrics in the dashboard to trust the parse: " + used);
    assertEquals(Set.of(), missing(used));
  }

  /** The {@code expr} of every rule of every group. */
  @SuppressWarnings("unchecked")
  static List<String> ruleExpressions() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(RULES));
    return ((List<Map<String, Object>>) file.get("groups")).stream()
        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
        .map(rule -> (String) rule.get("expr"))
        .toList();
  }

  /** The {@code expr} of every target of every panel, rows' nested panels included. */
  static List<String> dashboardExpressions() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    return dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast)
        .flatMap(panel -> panel.getJsonArray("panels", new io.vertx.core.json.JsonArray().add(panel)).stream())
        .map(JsonObject.class::cast)
        .flatMap(panel -> panel.getJsonArray("targets", new io.vertx.core.json.JsonArray()).stream())
        .map(target -> ((JsonObject) target).getString("expr"))
        .toList();
  }

  private static Set<String> metricsIn(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expression : expressions) {
      Matcher metric = METRIC.matcher(expression);
      while (metric.find()) {
        names.add(metric.group());
      }
    }
    return names;
  }

  /** The names that are neither a sample of the scrape nor a histogram of it (whose samples carry a suffix). */
  private static Set<String> missing(Set<String> used) {
    Set<String> samples = scrape.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    return used.stream()
        .filter(name -> !samples.contains(name))
        .filter(name -> HISTOGRAM_SUFFIXES.stream().noneMatch(suffix -> samples.contains(name + suffix)))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
