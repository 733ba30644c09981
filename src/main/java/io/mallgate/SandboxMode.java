package io.mallgate;

import io.mallgate.config.BaseUrl;
import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.token.TokenResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code --sandbox} changes: the gateway talks to an in-process {@link Cafe24Simulator} instead of Cafe24, with
 * the simulator's client credentials, a throwaway sealing key and a store file of its own run (so sandbox tokens
 * never mix with real ones), a throwaway webhook key that the simulator sends with its webhooks (so the samples of
 * {@link SampleWebhookRoute} are accepted), a random admin token (so the admin API and page are on; {@link #adminLink}
 * signs the page in), and a pre-installed mall {@value #DEMO_MALL}. Everything else comes from
 * the normal configuration. The glue between the gateway and its simulator lives here, beside {@code Main}, and not
 * in the simulator's package: the simulator is an independent oracle and imports nothing of the gateway.
 */
final class SandboxMode {

  static final String DEMO_MALL = "demo";

  private SandboxMode() {
  }

  /** The environment for loading the config: the simulator's credentials stand in for unset Cafe24 variables. */
  static Map<String, String> environment(Map<String, String> env, SimulatorSettings settings) {
    Map<String, String> sandbox = new HashMap<>(env);
    sandbox.putIfAbsent("CAFE24_CLIENT_ID", settings.clientId());
    sandbox.putIfAbsent("CAFE24_CLIENT_SECRET", settings.clientSecret());
    // A throwaway key: sandbox tokens are the simulator's, worthless after the process ends.
    sandbox.putIfAbsent("MALLGATE_TOKEN_KEY", "sandbox:" + Base64.getEncoder().encodeToString(randomBytes()));
    // The WebHook auth key Cafe24 would show in the Developer Center: the simulator sends it, the gateway expects it.
    sandbox.putIfAbsent("CAFE24_WEBHOOK_API_KEY",
        "sandbox-" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes()));
    // The admin API and page on, with a token of this run (URL-safe: it travels in the page link's fragment). An
    // empty MALLGATE_ADMIN_TOKEN counts as unset: it would turn the admin page off, which the sandbox promises.
    if (sandbox.getOrDefault("MALLGATE_ADMIN_TOKEN", "").isBlank()) {
      sandbox.put("MALLGATE_ADMIN_TOKEN",
          "sandbox-" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes()));
    }
    return sandbox;
  }

  /**
   * {@code http://localhost:<port>/admin/#token=<token>}: the admin page, signed in (the page moves the token from
   * the fragment, which no server sees, into the tab's sessionStorage). Printed once on the console, never logged.
   * Null when the configuration leaves the admin API off (a file that does not read {@code MALLGATE_ADMIN_TOKEN}).
   */
  static String adminLink(GatewayConfig config) {
    if (!config.admin().enabled()) {
      return null;
    }
    String token = config.admin().token().reveal();
    return "http://localhost:" + config.server().port() + "/admin/#token="
        + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /**
   * The loaded config, pointed at a started simulator; the simulator sends its webhooks with the first key
   * {@code POST /webhook} accepts (the sandbox's own, unless the configuration names others).
   */
  static GatewayConfig configure(GatewayConfig config, Cafe24Simulator simulator, SimulatorSettings settings) {
    config.webhook().route().apiKeys().stream().findFirst()
        .ifPresent(key -> simulator.setWebhookApiKey(key.reveal()));
    GatewayConfig.Cafe24 cafe24 = config.cafe24();
    GatewayConfig.Cafe24 simulated = new GatewayConfig.Cafe24(BaseUrl.parse(simulator.baseUrl()), true,
        Secret.of(settings.clientId()), Secret.of(settings.clientSecret()), cafe24.redirectUri(), cafe24.scopes(),
        // The simulator's app has no Front API key: a real one would be sent to it for nothing.
        cafe24.apiVersion(), Secret.empty());
    return config.withCafe24(simulated).withStore(new GatewayConfig.Store(storeFile()));
  }

  /**
   * A store file of this run only: the simulator's tokens (and the throwaway key) die with the process. The folder
   * holds files by then (the store, the webhook log), which {@code deleteOnExit} would leave: a hook removes it all.
   */
  private static Path storeFile() {
    try {
      Path dir = Files.createTempDirectory("mallgate-sandbox-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "mallgate-sandbox-cleanup"));
      return dir.resolve("mallgate.db");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the sandbox's store directory", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Exiting anyway; a leftover folder in the temporary directory is harmless.
    }
  }

  /** The sandbox's additions: the sample webhook route, and the demo mall installed before anyone can call. */
  static GatewayExtension extension(Cafe24Simulator simulator) {
    SampleWebhookRoute samples = new SampleWebhookRoute(simulator);
    return new GatewayExtension() {
      @Override
      public void mount(io.vertx.ext.web.Router router) {
        samples.mount(router);
      }

      @Override
      public io.vertx.core.Future<Void> beforeListen(Gateway gateway) {
        return gateway.tokens().install(DEMO_MALL, demoTokens(simulator)).mapEmpty();
      }
    };
  }

  /** Fresh tokens for the demo mall, as an install would give. */
  private static TokenResponse demoTokens(Cafe24Simulator simulator) {
    return TokenResponse.fromJson(simulator.issueTokens(DEMO_MALL));
  }
}
