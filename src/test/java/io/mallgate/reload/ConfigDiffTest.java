package io.mallgate.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key paths of what changed, by section and nested key; values never compared beyond equality. */
class ConfigDiffTest {

  private final TestConfig base = TestConfig.forSimulator("http://127.0.0.1:1/{mall}", "", Path.of("target", "diff"));
  private final GatewayConfig running = base.build();

  @Test
  void should_find_nothing_when_the_file_is_unchanged() {
    GatewayConfig same = base.build();

    assertEquals(List.of(), ConfigDiff.restartKeys(running, same));
    assertEquals(List.of(), ConfigDiff.changedSections(running, same));
  }

  @Test
  void should_name_nested_keys_outside_the_reloadable_sections_and_only_sections_inside_them_when_both_change() {
    GatewayConfig changed = base.set("webhook.delivery.maxAttempts", 3).set("cafe24.clientSecret", "new")
        .set("alerts.sinks.log", false).set("breaker.resetTimeout", "9s").build();

    // The webhook verification's secret defaults to the client secret: it changed too, and is named as well.
    assertEquals(List.of("cafe24.clientSecret", "webhook.delivery.maxAttempts", "webhook.route.secrets"),
        ConfigDiff.restartKeys(running, changed));
    assertEquals(List.of("breaker", "alerts"), ConfigDiff.changedSections(running, changed));
  }
}
