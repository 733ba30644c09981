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
}
