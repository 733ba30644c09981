package io.mallgate.testsupport;

import io.mallgate.config.ConfigException;
import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Builds gateway configurations for tests the way operators do: a YAML document, loaded by the real
 * {@link ConfigLoader}. Start from {@link #forSimulator} and override keys by path ({@code "proxy.maxBodySize"}).
 */
public final class TestConfig {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String CLIENT_ID = "sandbox-client";
  public static final String CLIENT_SECRET = "sandbox-secret";
  /**
   * The app's Front API key in every test config (a canary like the other secrets): Front API calls without a
   * customer bearer carry it, as Basic; the simulator asks for it only when a test sets it there too.
   */
  public static final String FRONT_API_KEY = "test-front-api-key-4e1d";
  /** {@code Basic base64(CLIENT_ID:FRONT_API_KEY)}, as the gateway sends it: a log line must not hold this either. */
  public static final String FRONT_BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString(
      (CLIENT_ID + ":" + FRONT_API_KEY).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  /** The "WebHook auth key" test gateways expect in {@code X-API-Key} (Cafe24's scheme, the default). */
  public static final String WEBHOOK_API_KEY = "test-webhook-api-key-7f3e";
  /** A fixed AES-256 key for sealing tokens at rest in tests (32 bytes of 0x2a). */
  public static final String TOKEN_KEY = "test1:KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

  private final Map<String, Object> root = new LinkedHashMap<>();

  private TestConfig() {
  }

  /**
   * A gateway on a free loopback port, talking to the simulator at {@code baseUrl}, with the admin API on.
   *
   * @param redisUrl  a Redis URL, or {@code ""} for the embedded store in {@code dataDir}
   */
  public static TestConfig forSimulator(String baseUrl, String redisUrl, Path dataDir) {
    int port = freePort();
    return new TestConfig()
        .set("server.host", "127.0.0.1")
        .set("server.port", port)
        // A test that stops a gateway with a call still running should not wait out the production grace.
        .set("server.shutdownGrace", "2s")
        .set("redis.url", redisUrl)
        .set("store.file", dataDir.resolve("mallgate.db").toString())
        .set("cafe24.baseUrl", baseUrl)
        .set("cafe24.allowInsecure", true)
        .set("cafe24.clientId", CLIENT_ID)
        .set("cafe24.clientSecret", CLIENT_SECRET)
        .set("cafe24.frontApiKey", FRONT_API_KEY)
        .set("cafe24.redirectUri", "http://127.0.0.1:" + port + "/oauth/callback")
        .set("admin.token", ADMIN_TOKEN)
        // A keep-alive scan would read (and might refresh) every mall other tests left in the shared Redis: only the
        // keep-alive's own tests turn it on.
        .set("keepalive.enabled", false)
        // Configured, as in production: a test of the unconfigured route sets an empty list.
        .set("webhook.apiKeys", java.util.List.of(WEBHOOK_API_KEY))
        // Cafe24's pacing (9 calls of a mall a second) would spread every test's bursts over seconds: only the tests
        // of pacing turn it back on (rateLimit.maxPerSecond: 9).
        .set("rateLimit.maxPerSecond", 100_000)
        // Coalescing (on in production) would fold a test's burst of identical GETs into one call, and the tests of rate
        // limits, pacing, pools, bounds, breakers and refreshes count calls: only the proxy's own end-to-end tests
        // (and the coalescing tests) turn it back on (proxy.coalesce: true).
        .set("proxy.coalesce", false)
        // Access lines through logback into the test log, where tests read them and the canary scans cover them;
        // the batched stdout writer (the default) has tests of its own (AccessLineWriterTest, LogFormatTest).
        .set("accessLog.output", "logger")
        .set("tokens.encryptionKeys", java.util.List.of(TOKEN_KEY));
  }

  /** Sets a key by its dotted path. */
  @SuppressWarnings("unchecked")
  public TestConfig set(String path, Object value) {
    String[] keys = path.split("\\.");
    Map<String, Object> section = root;
    for (int i = 0; i < keys.length - 1; i++) {
      section = (Map<String, Object>) section.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
    }
    section.put(keys[keys.length - 1], value);
    return this;
  }

  /**
   * Moves the gateway to another port: {@code server.port}, and the OAuth redirect URI when it is the one
   * {@link #forSimulator} made for the old port.
   */
  @SuppressWarnings("unchecked")
  public TestConfig movePort(int port) {
    Map<String, Object> server = (Map<String, Object>) root.get("server");
    Map<String, Object> cafe24 = (Map<String, Object>) root.get("cafe24");
    Object old = server == null ? null : server.get("port");
    if (cafe24 != null && ("http://127.0.0.1:" + old + "/oauth/callback").equals(cafe24.get("redirectUri"))) {
      set("cafe24.redirectUri", "http://127.0.0.1:" + port + "/oauth/callback");
    }
    return set("server.port", port);
  }

  public String yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  public GatewayConfig build() {
    try {
      return ConfigLoader.fromYaml(yaml(), Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("test config is invalid: " + e.problems(), e);
    }
  }

  /** A port free right now (closed again before use: fine on a test machine's loopback). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
