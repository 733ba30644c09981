package io.mallgate.config;

import static io.mallgate.config.Configs.ENV;
import static io.mallgate.config.Configs.env;
import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A canary stands in for a secret: it must never show in a problem or in the config's toString. */
class SecretLeakTest {

  private static final String CANARY = "CANARY-SECRET-7f3a";

  @ParameterizedTest
  @ValueSource(strings = {
      "redis: {url: CANARY-SECRET-7f3a}",
      "redis: {url: [CANARY-SECRET-7f3a]}",
      "redis: {type: cluster, url: 'redis://h', endpoints: [CANARY-SECRET-7f3a]}",
      "redis: {type: cluster, url: 'redis://h', endpoints: CANARY-SECRET-7f3a}",
      "redis: {type: cluster, url: 'redis://h', endpoints: [[CANARY-SECRET-7f3a]]}",
      "cafe24: {clientSecret: [CANARY-SECRET-7f3a]}",
      "cafe24: {clientSecret: {CANARY-SECRET-7f3a: x}}",
      "cafe24: {clientId: [CANARY-SECRET-7f3a]}",
      "cafe24: {clientId: 'CANARY-SECRET:7f3a'}",
      "cafe24: {frontApiKey: [CANARY-SECRET-7f3a]}",
      "cafe24: {frontApiKey: 'CANARY-SECRET 7f3a'}",
      "cafe24: {frontApiKey: {CANARY-SECRET-7f3a: x}}",
      "cafe24: CANARY-SECRET-7f3a",
      "admin: {token: CANARY}",
      "admin: {token: [CANARY-SECRET-7f3a]}",
      "admin: {token: 'CANARY-SECRET-7f3a${'}",
      "admin: {token: '${CANARY-SECRET-7f3a}'}",
      "CANARY-SECRET-7f3a",
      "cafe24: {clientSecrte: CANARY-SECRET-7f3a}",
      "cafe24:\n  clientSecret: CANARY-SECRET-7f3a\n   bad: [",
  })
  void should_never_quote_a_secret_when_its_value_is_invalid(String yaml) {
    List<String> problems = problems(yaml);
    assertFalse(problems.isEmpty());
    problems.forEach(p -> assertFalse(p.contains("CANARY"), p));
  }

  @Test
  void should_never_quote_a_secret_when_the_rest_of_the_config_is_invalid() {
    List<String> problems = problems("""
        server: {port: nope}
        redis: {url: "${REDIS_URL}", type: sentinel, masterName: "", poolSize: 0}
        cafe24: {clientSecret: "${SECRET}", baseUrl: "http://{mall}.x", scopes: []}
        admin: {token: "${TOKEN}"}
        """, env("REDIS_URL", "redis://:" + CANARY + "@h:6379", "SECRET", CANARY, "TOKEN", CANARY));
    assertTrue(problems.size() >= 5, problems.toString());
    problems.forEach(p -> assertFalse(p.contains(CANARY), p));
  }

  @Test
  void should_never_quote_a_secret_file_content_when_the_file_holds_an_invalid_value(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("redis"), CANARY + "\n");
    List<String> problems = problems("redis: {url: '${file:" + file + "}'}");
    assertEquals(List.of("redis.url: must start with redis:// or rediss://"), problems);
  }

  @Test
  void should_mask_secrets_when_the_config_prints_itself() throws Exception {
    GatewayConfig config = ConfigLoader.fromYaml("""
        redis: {url: "redis://:%1$s@h:6379", type: cluster, endpoints: ["redis://:%1$s@h2:6379"]}
        cafe24: {clientId: "%1$s", clientSecret: "%1$s", frontApiKey: "%1$s"}
        admin: {token: "%1$s"}
        """.formatted(CANARY), ENV);
    assertEquals(CANARY, config.cafe24().clientSecret().reveal());
    assertEquals(CANARY, config.cafe24().frontApiKey().reveal());
    assertFalse(config.toString().contains(CANARY), config.toString());
    assertFalse(Secret.of(CANARY).toString().contains(CANARY));
  }
}
