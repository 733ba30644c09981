package io.mallgate;

import io.mallgate.config.ConfigException;
import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SandboxMode;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.token.crypto.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code java -jar mallgate.jar [--config FILE] [--sandbox] [--check-config] [--generate-key]}.
 *
 * <p>Without {@code --config} it reads {@code conf/gateway.yaml} when that exists, else built-in defaults.
 * {@code --check-config} validates and exits 0, or 1 listing every problem. {@code --generate-key} prints a new
 * token encryption key and exits 0 without reading any configuration. Runs on the main thread, which may
 * block: no event loop is involved until Vert.x starts.
 */
public final class Main {

  static final Path DEFAULT_CONFIG = Path.of("conf", "gateway.yaml");

  private Main() {
  }

  public static void main(String[] args) {
    int exit = run(args, System.getenv(), System.out, System.err);
    if (exit >= 0) {
      System.exit(exit);
    }
  }

  /** Runs the command. Returns an exit code, or -1 when the gateway is up and the JVM should keep running. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine line;
    try {
      line = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(CommandLine.USAGE);
      return 2;
    }
    if (line.help()) {
      out.println(CommandLine.USAGE);
      return 0;
    }
    if (line.generateKey()) {
      return generateKey(out, err);
    }
    SimulatorSettings sandbox = line.sandbox() ? SimulatorSettings.defaults() : null;
    GatewayConfig config;
    try {
      config = load(line.config(), sandbox == null ? env : SandboxMode.environment(env, sandbox));
    } catch (ConfigException e) {
      return reportProblems(e, err);
    }
    if (line.checkConfig()) {
      out.println("Configuration OK: " + ConfigSummary.describe(config));
      return 0;
    }
    return start(config, sandbox, out, err);
  }

  private static int reportProblems(ConfigException e, PrintStream err) {
    err.println("Configuration has " + e.problems().size() + " problem(s):");
    e.problems().forEach(problem -> err.println("  - " + problem));
    return 1;
  }

  // Only the key goes to stdout, so that a script can capture it and nothing else.
  private static int generateKey(PrintStream out, PrintStream err) {
    out.println(TokenKeys.generate(Clock.systemUTC()));
    err.println("Keep this key secret and backed up: tokens sealed with it cannot be opened without it.");
    err.println("Use it with: export MALLGATE_TOKEN_KEY='<the line above>' (or a ${file:...} secret in "
        + "tokens.encryptionKeys).");
    err.println("To rotate: list the new key first in tokens.encryptionKeys and the old one after it, re-seal with "
        + "POST /admin/reseal, then drop the old key.");
    return 0;
  }

  private static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
    if (file != null) {
      return ConfigLoader.load(file, env);
    }
    return Files.exists(DEFAULT_CONFIG) ? ConfigLoader.load(DEFAULT_CONFIG, env) : ConfigLoader.defaults(env);
  }

  private static int start(GatewayConfig config, SimulatorSettings sandbox, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    // SIGTERM and SIGINT drain gracefully (Termination); the hook covers any other way the JVM is asked to exit.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(vertx.close()), "mallgate-shutdown"));
    Termination.install(vertx, config.server().shutdownGrace());
    try {
      if (sandbox == null) {
        await(vertx.deployVerticle(new GatewayVerticle(config)));
      } else {
        Cafe24Simulator simulator = new Cafe24Simulator(vertx, sandbox);
        await(simulator.start(0));
        GatewayConfig simulated = SandboxMode.configure(config, simulator, sandbox);
        await(vertx.deployVerticle(new GatewayVerticle(simulated,
            gateway -> gateway.tokens().install(SandboxMode.DEMO_MALL, SandboxMode.demoTokens(simulator)))));
        out.println("Sandbox: simulated Cafe24 at " + simulator.baseUrl() + ", mall '" + SandboxMode.DEMO_MALL
            + "' installed. Try:");
        out.println("  curl http://localhost:" + config.server().port() + "/malls/demo/api/v2/admin/products");
      }
      return -1;
    } catch (Exception e) {
      err.println("Mallgate failed to start: " + e.getMessage());
      awaitQuietly(vertx.close());
      return 1;
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Shutting down anyway.
    }
  }
}
