package io.mallgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  private static final String CANARY = "CANARY-SECRET-9d2b1c";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void should_exit_0_without_printing_secrets_when_config_is_valid() throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "server:\n  port: 9090\n");
    int exit = run(Map.of("CAFE24_CLIENT_ID", "client", "CAFE24_CLIENT_SECRET", CANARY,
        "MALLGATE_TOKEN_KEY", io.mallgate.testsupport.TestConfig.TOKEN_KEY), "--check-config", "--config",
        file.toString());
    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().contains("Configuration OK"));
    assertFalse(out.toString().contains(CANARY));
  }

  @Test
  void should_exit_0_and_warn_how_to_set_it_when_no_webhook_api_key_is_configured() throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "server:\n  port: 9090\n");
    Map<String, String> env = Map.of("CAFE24_CLIENT_ID", "client", "CAFE24_CLIENT_SECRET", CANARY,
        "MALLGATE_TOKEN_KEY", io.mallgate.testsupport.TestConfig.TOKEN_KEY);
    assertEquals(0, run(env, "--check-config", "--config", file.toString()), err.toString());
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("Configuration OK") && report.contains("Warning: webhook.apiKeys is empty")
        && report.contains("CAFE24_WEBHOOK_API_KEY"), report);

    out.reset();
    Map<String, String> keyed = new java.util.HashMap<>(env);
    keyed.put("CAFE24_WEBHOOK_API_KEY", CANARY);
    assertEquals(0, run(keyed, "--check-config", "--config", file.toString()), err.toString());
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("Warning"), out.toString(StandardCharsets.UTF_8));
    assertFalse(out.toString(StandardCharsets.UTF_8).contains(CANARY));
  }

  @Test
  void should_exit_1_listing_every_problem_when_config_is_invalid() throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"),
        "serevr:\n  port: 1\nserver:\n  port: abc\nadmin:\n  token: short\ncafe24:\n  clientSecret: " + CANARY + "\n");
    int exit = run(Map.of(), "--check-config", "--config", file.toString());
    assertEquals(1, exit);
    String problems = err.toString();
    assertTrue(problems.contains("serevr"), problems);
    assertTrue(problems.contains("server.port"), problems);
    assertTrue(problems.contains("CAFE24_CLIENT_ID"), problems);
    assertFalse(problems.contains(CANARY));
  }

  @Test
  void should_print_one_usable_key_and_exit_0_when_a_key_is_asked_for() throws IOException {
    assertEquals(0, run(Map.of(), "--generate-key"));
    String key = out.toString(StandardCharsets.UTF_8).strip();
    assertTrue(key.matches("k\\d{8}:[A-Za-z0-9+/]{43}="), "one line, <id>:<base64 of 32 bytes>: " + key);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("export MALLGATE_TOKEN_KEY="));
    out.reset();
    Path file = Files.writeString(dir.resolve("gateway.yaml"), "server:\n  port: 9090\n");
    int exit = run(Map.of("CAFE24_CLIENT_ID", "client", "CAFE24_CLIENT_SECRET", "secret", "MALLGATE_TOKEN_KEY", key),
        "--check-config", "--config", file.toString());
    assertEquals(0, exit, "the generated key passes validation: " + err);
    assertFalse(out.toString(StandardCharsets.UTF_8).contains(key.substring(key.indexOf(':') + 1)));
  }

  @Test
  void should_turn_netty_jfr_events_off_unless_the_property_is_set() {
    Properties unset = new Properties();
    Main.nettyJfrOffUnlessSet(unset);
    assertEquals("false", unset.getProperty(Main.NETTY_JFR));
    Properties on = new Properties();
    on.setProperty(Main.NETTY_JFR, "true");
    Main.nettyJfrOffUnlessSet(on);
    assertEquals("true", on.getProperty(Main.NETTY_JFR), "an operator's choice stays");
  }

  @Test
  void should_exit_2_with_usage_when_argument_is_unknown() {
    assertEquals(2, run(Map.of(), "--bogus"));
    assertTrue(err.toString().contains("Usage"));
  }
}
