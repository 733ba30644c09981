package io.mallgate.packaging;

import static io.mallgate.packaging.DeployFiles.at;
import static io.mallgate.packaging.DeployFiles.document;
import static io.mallgate.packaging.DeployFiles.list;
import static io.mallgate.packaging.DeployFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.ConfigLoader;
import io.mallgate.testsupport.Promtool;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/observability/ and the Compose profile that runs it: Prometheus' rules and configuration pass
 * {@code promtool}, every alert says what is wrong and links a heading of the manual that exists, and the profile
 * mounts existing files where Prometheus and Grafana look for them, scraping the gateways on the port they serve.
 * (That the rules and the dashboard query meters a gateway really exports: {@code metrics.ObservabilityScrapeTest}.)
 */
class ObservabilityFilesTest {

  private static final Path PROMETHEUS = DeployFiles.ROOT.resolve("observability/prometheus");
  private static final Path RULES = PROMETHEUS.resolve("alerts.yml");

  @Test
  void should_pass_promtool_check_rules_when_the_alerting_rules_are_checked() {
    Promtool.Result checked = Promtool.require().run("", "check", "rules", RULES.toString());
    assertEquals(0, checked.exit(), checked.output());
    assertTrue(checked.output().contains("SUCCESS"), checked.output());
  }

  @Test
  void should_pass_promtool_check_config_with_the_rules_loaded_when_the_prometheus_config_is_checked() {
    Promtool.Result checked = Promtool.require().run("", "check", "config", PROMETHEUS.resolve("prometheus.yml")
        .toString());
    assertEquals(0, checked.exit(), checked.output());
    assertTrue(checked.output().contains("1 rule files found"), checked.output());
  }

  @Test
  void should_give_every_alert_a_summary_and_a_runbook_heading_that_exists_when_the_rules_are_read() {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> rule : rules()) {
      Map<String, Object> annotations = map(rule.get("annotations"));
      String summary = (String) annotations.get("summary");
      String runbook = (String) annotations.get("runbook_url");
      if (summary == null || summary.isBlank()) {
        problems.add(rule.get("alert") + ": no summary");
      }
      String problem = runbook == null ? "no runbook_url" : headingProblem(runbook);
      if (problem != null) {
        problems.add(rule.get("alert") + ": " + problem);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void should_alert_on_each_failure_operators_act_on_when_the_rules_are_read() {
    String expressions = rules().stream().map(rule -> (String) rule.get("expr")).collect(Collectors.joining("\n"));
    for (String watched : List.of("outcome=\"failed\"", "mallgate_malls_reauthorization_required",
        "reason=\"client_rejected\"", "gateway_code=\"cafe24_client_rejected\"", "state=\"open\"",
        "mallgate_cafe24_throttled_total", "gateway_code=\"rate_limited\"", "outcome=\"dead_lettered\"",
        "mallgate_redis_command_errors_total", "gateway_code=\"token_store_unavailable\"",
        "outcome=\"not_configured\"", "outcome=\"unverified\"", "mallgate_webhook_fanout_lag_seconds")) {
      assertTrue(expressions.contains(watched), "no rule watches " + watched);
    }
  }

  /**
   * {@code promtool test rules}: two instances report a subscriber's lag, one of them behind; the alert waits out its
   * 10 minutes over 5 minutes of lag, names the subscriber, and ends once the lag is back under.
   */
  @Test
  void should_fire_the_fanout_lag_alert_after_10_minutes_over_5_and_stop_once_caught_up_when_promtool_tests_it(
      @TempDir Path dir) throws IOException {
    Path tests = dir.resolve("fanout-lag-test.yml");
    Files.writeString(tests, """
        rule_files: ["%s"]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              # minutes 0-4: caught up; 5-24: behind, a minute more each minute (over 5 from minute 10); 25-30: caught up
              - series: 'mallgate_webhook_fanout_lag_seconds{instance="gateway-1:8080", subscriber="orders"}'
                values: '0x4 60+60x19 0x5'
              - series: 'mallgate_webhook_fanout_lag_seconds{instance="gateway-2:8080", subscriber="orders"}'
                values: '0x30'
            alert_rule_test:
              - eval_time: 10m
                alertname: MallgateWebhookFanoutLagging
                exp_alerts: []
              - eval_time: 19m
                alertname: MallgateWebhookFanoutLagging
                exp_alerts: []
              - eval_time: 20m
                alertname: MallgateWebhookFanoutLagging
                exp_alerts:
                  - exp_labels: {severity: warning, subscriber: orders}
                    exp_annotations:
                      summary: "Webhook fan-out to orders is 16m 0s behind"
                      description: "Check that the subscriber orders answers 2xx within its timeout (the log names each failed attempt). After delivery.maxAttempts an event goes to the dead letters."
                      runbook_url: docs/webhooks.md#fan-out-lag
              - eval_time: 27m
                alertname: MallgateWebhookFanoutLagging
                exp_alerts: []
        """.formatted(RULES.toAbsolutePath()));
    Promtool.Result tested = Promtool.require().run("", "test", "rules", tests.toString());
    assertEquals(0, tested.exit(), tested.output());
    assertTrue(tested.output().contains("SUCCESS"), tested.output());
  }

  @Test
  void should_scrape_both_gateways_on_their_port_with_the_rules_mounted_when_the_profile_runs_prometheus()
      throws Exception {
    int port = ConfigLoader.load(Path.of("conf", "gateway.yaml"), Map.of("CAFE24_CLIENT_ID", "id",
        "CAFE24_CLIENT_SECRET", "secret", "REDIS_URL", "redis://redis:6379", "MALLGATE_TOKEN_KEY", TestConfig.TOKEN_KEY)).server().port();
    Map<String, Object> prometheus = service("prometheus");
    Map<String, Object> config = document("observability/prometheus/prometheus.yml");

    Map<String, Object> job = map(at(config, "scrape_configs.0"));
    assertEquals(List.of("gateway-1:" + port, "gateway-2:" + port), at(job, "static_configs.0.targets"));
    assertEquals("/metrics", job.get("metrics_path"));
    // MallgateDown names the job; it must be the job Prometheus scrapes.
    assertTrue(Files.readString(RULES).contains("up{job=\"" + job.get("job_name") + "\"}"));
    Map<String, String> mounts = mounts(prometheus);
    String configDir = mounts.get("/etc/prometheus");
    assertEquals(DeployFiles.ROOT.resolve(configDir).normalize(), PROMETHEUS);
    assertTrue(list(prometheus.get("command")).contains("--config.file=/etc/prometheus/prometheus.yml"));
    for (Object rules : list(config.get("rule_files"))) {
      assertTrue(Files.isRegularFile(PROMETHEUS.resolve((String) rules)), "rule file " + rules);
    }
  }

  @Test
  void should_provision_the_datasource_and_the_dashboard_grafana_reads_when_the_profile_runs_grafana()
      throws IOException {
    Map<String, Object> grafana = service("grafana");
    Map<String, String> mounts = mounts(grafana);
    Map<String, Object> datasource = map(at(document("observability/grafana/provisioning/datasources/prometheus.yaml"),
        "datasources.0"));
    Map<String, Object> provider = map(at(document("observability/grafana/provisioning/dashboards/mallgate.yaml"),
        "providers.0"));

    assertTrue(mounts.containsKey("/etc/grafana/provisioning"), mounts.toString());
    assertEquals("http://prometheus:9090", datasource.get("url"), "the prometheus service, on its port");
    assertTrue(list(service("prometheus").get("ports")).contains("9090:9090"));
    String dashboards = mounts.get((String) at(provider, "options.path"));
    Path dashboard = DeployFiles.ROOT.resolve(dashboards).resolve("mallgate.json");
    assertTrue(Files.isRegularFile(dashboard), "the provider's path is where the dashboards are mounted");

    JsonObject json = new JsonObject(Files.readString(dashboard));
    Set<Object> sources = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    json.getJsonArray("panels").stream().map(JsonObject.class::cast).forEach(panel -> {
      assertTrue(ids.add(panel.getInteger("id")), "duplicate panel id " + panel.getInteger("id"));
      if (!"row".equals(panel.getString("type"))) {
        sources.add(panel.getJsonObject("datasource").getString("uid"));
      }
    });
    assertEquals(Set.of(datasource.get("uid")), sources, "every panel reads the provisioned datasource");
  }

  @Test
  void should_mount_only_files_that_exist_when_the_observability_profile_is_up() {
    for (String name : List.of("prometheus", "grafana")) {
      Map<String, Object> service = service(name);
      assertEquals(List.of("observability"), service.get("profiles"), name);
      mounts(service).values().stream().filter(source -> source.startsWith("."))
          .forEach(source -> assertTrue(Files.exists(DeployFiles.ROOT.resolve(source)), name + ": " + source));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : list(document("observability/prometheus/alerts.yml").get("groups"))) {
      list(map(group).get("rules")).forEach(rule -> rules.add((Map<String, Object>) rule));
    }
    assertTrue(rules.size() >= 10, "too few rules to trust the parse: " + rules.size());
    return rules;
  }

  private static Map<String, Object> service(String name) {
    return map(at(document("compose.yaml"), "services." + name));
  }

  /** A service's volumes as container path to source (a named volume or a path relative to docker/). */
  private static Map<String, String> mounts(Map<String, Object> service) {
    return list(service.get("volumes")).stream().map(volume -> ((String) volume).split(":"))
        .collect(Collectors.toMap(parts -> parts[1], parts -> parts[0]));
  }

  /** Null when {@code runbook} is {@code docs/<page>.md#<anchor>} of an existing heading; else what is wrong. */
  private static String headingProblem(String runbook) {
    if (!runbook.matches("docs/[a-z-]+\\.md#[a-z0-9-]+")) {
      return "runbook_url " + runbook + " is not docs/<page>.md#<heading>";
    }
    Path page = Path.of(runbook.substring(0, runbook.indexOf('#')));
    try {
      Set<String> anchors = DocsLinksTest.anchors(Files.readAllLines(page));
      return anchors.contains(runbook.substring(runbook.indexOf('#') + 1)) ? null : "no such heading: " + runbook;
    } catch (IOException e) {
      return "no such page: " + page;
    }
  }
}
