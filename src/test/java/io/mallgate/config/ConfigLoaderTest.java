package io.mallgate.config;

import static io.mallgate.config.Configs.ENV;
import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void should_equal_the_builtin_defaults_when_loading_the_shipped_conf_file() throws Exception {
    assertEquals(ConfigLoader.defaults(ENV), ConfigLoader.load(Path.of("conf/gateway.yaml"), ENV));
  }

  @Test
  void should_equal_the_builtin_defaults_when_the_shipped_conf_file_sees_every_variable() throws Exception {
    var env = Configs.env("REDIS_URL", "redis://localhost:6379", "CAFE24_REDIRECT_URI", "https://gw.example/cb",
        "MALLGATE_ADMIN_TOKEN", "0123456789abcdef", "CAFE24_FRONT_API_KEY", "front-key-0123");
    assertEquals(ConfigLoader.defaults(env), ConfigLoader.load(Path.of("conf/gateway.yaml"), env));
  }

  @Test
  void should_have_the_documented_values_when_every_key_is_default() throws Exception {
    GatewayConfig c = ConfigLoader.defaults(ENV);
    assertEquals(new GatewayConfig.Server("0.0.0.0", 8080, Duration.ofSeconds(60), 16 * 1024,
        Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors(), true, 0, "0.0.0.0"), c.server());
    assertEquals(new GatewayConfig.Redis("standalone", Secret.empty(), List.of(), "mymaster", Duration.ofSeconds(2),
        16), c.redis());
    assertEquals(new GatewayConfig.Cafe24(BaseUrl.parse("https://{mall}.cafe24api.com"), false,
        Secret.of("client-id"), Secret.of("client-sec"), "http://localhost:8080/oauth/callback",
        List.of("mall.read_product", "mall.read_store"), "", Secret.empty()), c.cafe24());
    assertEquals(new GatewayConfig.Admin(Secret.empty()), c.admin());
    assertEquals(new GatewayConfig.Malls(Set.of()), c.malls());
    assertEquals(new GatewayConfig.Store(Path.of("data/mallgate.db")), c.store());
    assertEquals(new GatewayConfig.Proxy(10L * 1024 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofSeconds(30), 64, 1024, 1024 * 1024, Duration.ofSeconds(60), 32, 1024,
        Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"), Duration.ofSeconds(10), true, 1024 * 1024,
        false), c.proxy());
    assertEquals(new GatewayConfig.Metrics(true, false, 100), c.metrics());
    assertEquals(new GatewayConfig.RateLimit(true, 40, 2.0, Duration.ofSeconds(10), 200, 9, 0), c.rateLimit());
    assertEquals(new GatewayConfig.Breaker(5, Duration.ofSeconds(30), Duration.ofSeconds(30),
        Set.of(500, 502, 503, 504)), c.breaker());
    assertEquals(new GatewayConfig.Retry(Set.of("GET", "HEAD", "OPTIONS"), 2, Duration.ofMillis(200)), c.retry());
    assertEquals(new GatewayConfig.Tokens(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(30), "aes-gcm", List.of(Secret.of(Configs.KEY))), c.tokens());
    assertEquals(new GatewayConfig.OAuth(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(10),
        Secret.empty()), c.oauth());
  }

  @Test
  void should_read_every_key_when_all_are_given() throws Exception {
    GatewayConfig c = ConfigLoader.fromYaml("""
        server: {host: 127.0.0.1, port: 0}
        redis:
          url: redis://r1:6379
          type: sentinel
          endpoints: [redis://r2:26379, rediss://r3:26379]
          masterName: main
          commandTimeout: 750ms
          poolSize: 4
        cafe24:
          baseUrl: http://127.0.0.1:9000/{mall}
          allowInsecure: true
          clientId: id
          clientSecret: sec
          redirectUri: https://gw.example/oauth/callback
          scopes: [mall.read_order]
          apiVersion: 2025-06-01
        admin: {token: 0123456789abcdef}
        malls: {allow: [demo, shop-2]}
        store: {file: /var/lib/mallgate/tokens.json}
        proxy: {maxBodySize: 1MB, connectTimeout: 1s, idleTimeout: 2m, requestTimeout: 1h, poolSize: 10000,
                poolWaitQueue: -1, replayBufferSize: 64KiB, requireApp: true}
        tokens: {cacheTtl: 1d, refreshBefore: 10m, refreshWait: 3s, lockLease: 20s, minRefreshInterval: 5s,
                 encryption: none, encryptionKeys: []}
        oauth: {stateTtl: 1m, launchMaxAge: 30s, exchangeTimeout: 5s}
        """, ENV);
    assertEquals(new GatewayConfig.Redis("sentinel", Secret.of("redis://r1:6379"),
        List.of(Secret.of("redis://r2:26379"), Secret.of("rediss://r3:26379")), "main", Duration.ofMillis(750), 4),
        c.redis());
    assertEquals(new GatewayConfig.Proxy(1_000_000, Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofHours(1),
        10000, -1, 64 * 1024, Duration.ofSeconds(60), 32, 1024,
        Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"), Duration.ofSeconds(10), true, 1024 * 1024,
        true), c.proxy());
    assertEquals(new GatewayConfig.Tokens(Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofSeconds(3),
        Duration.ofSeconds(20), Duration.ofSeconds(5), "none", List.of()), c.tokens());
    assertEquals(Set.of("demo", "shop-2"), c.malls().allow());
    assertEquals("2025-06-01", c.cafe24().apiVersion());
    assertEquals(Duration.ofDays(1), c.tokens().cacheTtl());
  }

  @Test
  void should_use_defaults_when_a_section_is_empty_or_the_text_is_empty() throws Exception {
    assertEquals(ConfigLoader.defaults(ENV), ConfigLoader.fromYaml("server:\nredis:\n", ENV));
    assertEquals(ConfigLoader.defaults(ENV), ConfigLoader.fromYaml("", ENV));
    assertEquals(ConfigLoader.defaults(ENV), ConfigLoader.fromYaml("# only a comment\n", ENV));
  }

  @Test
  void should_accept_numbers_and_booleans_written_as_strings() throws Exception {
    GatewayConfig c = ConfigLoader.fromYaml("""
        server: {port: "9090"}
        cafe24: {allowInsecure: "TRUE", baseUrl: "http://localhost:1/{mall}"}
        """, ENV);
    assertEquals(9090, c.server().port());
    assertTrue(c.cafe24().allowInsecure());
  }

  @Test
  void should_return_an_unmodifiable_allow_list() throws Exception {
    Set<String> allow = ConfigLoader.fromYaml("malls: {allow: [a, b]}", ENV).malls().allow();
    assertThrows(UnsupportedOperationException.class, () -> allow.add("c"));
  }

  @Test
  void should_name_the_file_when_it_is_missing(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, ENV));
    assertEquals(List.of(missing + ": cannot read the configuration file (no such file)"), e.problems());
  }

  @Test
  void should_load_a_file_when_it_exists(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("g.yaml"), "server:\n  port: 1234\n");
    assertEquals(1234, ConfigLoader.load(file, ENV).server().port());
  }

  @Test
  void should_report_line_and_column_without_the_line_when_yaml_is_malformed() {
    List<String> problems = problems("cafe24:\n  clientSecret: CANARY-SECRET-7f3a: oops\n");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("yaml: invalid YAML at line 2, column"), problems.get(0));
    assertFalse(problems.get(0).contains("CANARY"), problems.get(0));
  }

  @Test
  void should_report_a_duplicate_key() {
    String problem = problems("server:\n  port: 1\n  port: 2\n").get(0);
    assertTrue(problem.contains("duplicate key port"), problem);
  }

  @Test
  void should_not_build_arbitrary_types_when_yaml_has_a_class_tag() {
    String problem = problems("server: !!javax.script.ScriptEngineManager [x]\n").get(0);
    assertTrue(problem.startsWith("yaml: invalid YAML"), problem);
  }

  @Test
  void should_report_every_problem_at_once_when_many_keys_are_wrong() {
    List<String> problems = problems("""
        server: {port: abc, hots: x}
        redis: {type: single, poolSize: 0}
        cafe24: {scopes: [], apiVersion: yesterday}
        proxy: {idleTimeout: 30, maxBodySize: 10 MiB}
        bogus: 1
        """, Configs.env("CAFE24_CLIENT_ID", ""));
    assertEquals(List.of(
        // The list of sections grows with the product; that every one is named is the point.
        "bogus: unknown key (known keys: " + String.join(", ", Defaults.sections()) + ")",
        "server.hots: unknown key, did you mean 'host'?",
        "server.port: expected an integer, got 'abc'",
        "redis.type: must be one of standalone, sentinel, cluster, got 'single'",
        "redis.poolSize: must be between 1 and 1024, got '0'",
        "cafe24.clientId: must not be empty",
        "cafe24.scopes: must not be an empty list",
        "cafe24.apiVersion: must be empty or a date yyyy-mm-dd, got 'yesterday'",
        "proxy.maxBodySize: expected bytes, or a size with a unit KiB, MiB, GiB, KB, MB or GB like 10MiB, got "
            + "'10 MiB'",
        "proxy.idleTimeout: needs a unit: ms, s, m, h or d, got '30'"), problems);
  }
}
