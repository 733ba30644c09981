package io.mallgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import io.mallgate.sandbox.SimulatorSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's environment defaults and its admin link. */
class SandboxModeTest {

  private static final SimulatorSettings SETTINGS = SimulatorSettings.defaults();

  @Test
  void should_make_a_random_url_safe_admin_token_when_none_is_set_or_it_is_empty() {
    String first = SandboxMode.environment(Map.of(), SETTINGS).get("MALLGATE_ADMIN_TOKEN");
    String second = SandboxMode.environment(Map.of("MALLGATE_ADMIN_TOKEN", ""), SETTINGS).get("MALLGATE_ADMIN_TOKEN");

    assertTrue(first.matches("sandbox-[A-Za-z0-9_-]{43}"), first);
    assertTrue(second.matches("sandbox-[A-Za-z0-9_-]{43}"), "an empty value would turn the admin page off");
    assertNotEquals(first, second, "a token of each run");
  }

  @Test
  void should_keep_the_operators_admin_token_when_one_is_set() {
    Map<String, String> env = SandboxMode.environment(Map.of("MALLGATE_ADMIN_TOKEN", "mine-0123456789abcdef"),
        SETTINGS);
    assertEquals("mine-0123456789abcdef", env.get("MALLGATE_ADMIN_TOKEN"));
  }

  @Test
  void should_link_the_admin_page_with_the_configured_token_in_the_fragment_when_the_admin_api_is_on()
      throws Exception {
    Map<String, String> env = new HashMap<>(SandboxMode.environment(Map.of(), SETTINGS));
    GatewayConfig config = ConfigLoader.defaults(env);

    assertEquals("http://localhost:" + config.server().port() + "/admin/#token=" + env.get("MALLGATE_ADMIN_TOKEN"),
        SandboxMode.adminLink(config));
  }

  @Test
  void should_print_no_link_when_the_configuration_leaves_the_admin_api_off() throws Exception {
    GatewayConfig config = ConfigLoader.defaults(SandboxMode.environment(Map.of(), SETTINGS));
    GatewayConfig off = ConfigLoader.fromYaml("admin:\n  token: \"\"\n", SandboxMode.environment(Map.of(), SETTINGS));
    assertTrue(config.admin().enabled());
    assertNull(SandboxMode.adminLink(off));
  }
}
