package io.mallgate.config;

import static io.mallgate.config.Configs.ENV;
import static io.mallgate.config.Configs.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholdersTest {

  private final Problems problems = new Problems();

  private String resolve(String raw, Map<String, String> env) {
    return new Placeholders(env, problems).resolve("k.v", raw);
  }

  @Test
  void should_substitute_the_variable_when_it_is_set() {
    assertEquals("value", resolve("${V}", Map.of("V", "value")));
  }

  @Test
  void should_use_the_default_when_the_variable_is_unset_or_empty() {
    assertEquals("d", resolve("${V:-d}", Map.of()));
    assertEquals("d", resolve("${V:-d}", Map.of("V", "")));
    assertEquals("set", resolve("${V:-d}", Map.of("V", "set")));
    assertTrue(problems.isEmpty());
  }

  @Test
  void should_resolve_to_empty_when_the_default_is_empty() {
    assertEquals("", resolve("${V:-}", Map.of()));
  }

  @Test
  void should_keep_an_empty_value_when_the_variable_is_set_but_empty() {
    assertEquals("", resolve("${V}", Map.of("V", "")));
    assertTrue(problems.isEmpty());
  }

  @Test
  void should_resolve_every_reference_and_keep_the_text_around_them() {
    assertEquals("redis://h:6379/2 $ {x}", resolve("redis://${H}:${P:-6379}/${DB} $ {x}", Map.of("H", "h", "DB", "2")));
  }

  @Test
  void should_not_resolve_again_when_a_value_contains_a_reference() {
    assertEquals("a${B}c", resolve("${A}", Map.of("A", "a${B}c", "B", "no")));
  }

  @Test
  void should_keep_a_default_with_colons_and_slashes() {
    assertEquals("http://localhost:8080/cb", resolve("${U:-http://localhost:8080/cb}", Map.of()));
  }

  @Test
  void should_report_every_missing_variable_with_the_key() {
    assertNull(resolve("${A}-${B}", Map.of()));
    assertEquals(List.of("k.v: environment variable A is not set and has no default",
        "k.v: environment variable B is not set and has no default"), problems.list());
  }

  @Test
  void should_name_the_variable_and_the_key_when_a_default_reference_is_unset() {
    var problems = Configs.problems("", Map.of("CAFE24_CLIENT_SECRET", "s", "MALLGATE_TOKEN_KEY", Configs.KEY));
    assertEquals(List.of("cafe24.clientId: environment variable CAFE24_CLIENT_ID is not set and has no default"),
        problems);
  }

  @Test
  void should_read_the_file_less_one_trailing_newline(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), "s3cret\n\n");
    assertEquals("s3cret\n", resolve("${file:" + file + "}", Map.of()));
    Files.writeString(file, "crlf\r\n");
    assertEquals("crlf", resolve("${file:" + file + "}", Map.of()));
    Files.writeString(file, "bare");
    assertEquals("pre-bare-post", resolve("pre-${file:" + file + "}-post", Map.of()));
  }

  @Test
  void should_name_the_key_and_path_when_the_file_is_missing(@TempDir Path dir) {
    Path missing = dir.resolve("missing");
    assertNull(resolve("${file:" + missing + "}", Map.of()));
    assertEquals(List.of("k.v: cannot read file " + missing + " (no such file)"), problems.list());
  }

  @Test
  void should_report_a_directory_when_the_path_is_one(@TempDir Path dir) {
    assertNull(resolve("${file:" + dir + "}", Map.of()));
    assertEquals(List.of("k.v: cannot read file " + dir + " (it is a directory)"), problems.list());
  }

  @Test
  void should_load_secrets_from_files_and_variables_when_the_yaml_references_them(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("client_secret"), "from-file\n");
    GatewayConfig config = ConfigLoader.fromYaml("""
        server: {port: "${PORT:-9000}", host: "${HOST}"}
        cafe24:
          clientSecret: "${file:%s}"
          scopes: ["${SCOPE_A}", "mall.${SCOPE_B:-read_store}"]
        malls: {allow: ["${MALL}"]}
        """.formatted(secret), env("HOST", "::1", "SCOPE_A", "mall.read_order", "MALL", "demo", "PORT", ""));
    assertEquals(new GatewayConfig.Server("::1", 9000, java.time.Duration.ofSeconds(60), 16 * 1024,
        java.time.Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors(), true, 0, "::1"), config.server());
    assertEquals(Secret.of("from-file"), config.cafe24().clientSecret());
    assertEquals(List.of("mall.read_order", "mall.read_store"), config.cafe24().scopes());
    assertEquals(java.util.Set.of("demo"), config.malls().allow());
    assertEquals(Secret.of("client-id"), ConfigLoader.defaults(ENV).cafe24().clientId());
  }
}
