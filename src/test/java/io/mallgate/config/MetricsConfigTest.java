package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

  @Test
  void should_refuse_a_mall_label_when_no_allow_list_bounds_it() {
    assertEquals(List.of("metrics.mallLabel: needs malls.allow: a mall label is bounded only by a known list of "
        + "malls"), problems("metrics: {mallLabel: true}"));
  }

  @Test
  void should_accept_a_mall_label_when_the_malls_are_listed() throws Exception {
    assertTrue(ConfigLoader.fromYaml("metrics: {mallLabel: true}\nmalls: {allow: [shop1]}", Configs.ENV).metrics()
        .mallLabel());
  }

  @Test
  void should_refuse_max_apps_when_outside_1_to_10000() {
    assertEquals(1, problems("metrics: {maxApps: 0}").size(), problems("metrics: {maxApps: 0}").toString());
    assertTrue(problems("metrics: {maxApps: 0}").get(0).startsWith("metrics.maxApps"));
    assertEquals(1, problems("metrics: {maxApps: 10001}").size());
    assertEquals(1, problems("metrics: {maxApps: many}").size());
  }

  @Test
  void should_read_max_apps_and_require_app_when_given() throws Exception {
    GatewayConfig config = ConfigLoader.fromYaml("metrics: {maxApps: 3}\nproxy: {requireApp: true}", Configs.ENV);
    assertEquals(3, config.metrics().maxApps());
    assertTrue(config.proxy().requireApp());
  }
}
