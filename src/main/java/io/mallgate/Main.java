package io.mallgate;

import io.mallgate.config.ConfigException;
import io.mallgate.config.ConfigLoader;
import io.mallgate.config.ConfigWarnings;
import io.mallgate.config.GatewayConfig;
import io.mallgate.reload.FileConfigSource;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.token.crypto.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The command line: {@code java -jar mallgate.jar [--config FILE] [--sandbox] [--check-config] [--generate-key]}.
 *
 * <p>Without {@code --config} it reads {@code conf/gateway.yaml} when that exists, else built-in defaults.
 * {@code --check-config} validates and exits 0 (printing any {@link ConfigWarnings}), or 1 listing every problem.
 * {@code --generate-key} prints a new token encryption key and exits 0 without reading any configuration. Runs on the
 * main thread, which may block: no event loop is involved until Vert.x starts.
 *
 * <p>Started with a configuration file, the gateway reloads it on SIGHUP and when it changes (checked every
 * {@link #WATCH_INTERVAL}); see {@link io.mallgate.reload.LiveConfig} for what a reload may change.
 */
public final class Main {

  static final Path DEFAULT_CONFIG = Path.of("conf", "gateway.yaml");
  /** How often the configuration file is checked for a change. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  /**
   * Netty's switch for its JFR events (buffer and chunk allocations). With it on, Netty's first buffer registers
   * those event classes with the flight recorder, recording or not, which loads and parses JFR's metadata: a few
   * hundred ms of a cold start, in the first request. {@link #main} turns it off unless it is set;
   * {@code -Dio.netty.jfr.enabled=true} brings the events back for a JFR session that wants them.
   */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  private Main() {
  }

  public static void main(String[] args) {
    nettyJfrOffUnlessSet(System.getProperties());
    int exit = run(args, System.getenv(), System.out, System.err);
    if (exit >= 0) {
      System.exit(exit);
    }
  }

  /** Sets {@link #NETTY_JFR} to false unless it is set. Call before any Netty class initialises: it reads it once. */
  static void nettyJfrOffUnlessSet(Properties properties) {
    properties.putIfAbsent(NETTY_JFR, "false");
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
    // Computed once: the sandbox's generated values must be the same at every reload.
    Map<String, String> resolved = sandbox == null ? env : SandboxMode.environment(env, sandbox);
    Path file = configFile(line.config());
    GatewayConfig config;
    try {
      config = file != null ? ConfigLoader.load(file, resolved) : ConfigLoader.defaults(resolved);
    } catch (ConfigException e) {
      return reportProblems(e, err);
    }
    if (line.checkConfig()) {
      out.println("Configuration OK: " + ConfigSummary.describe(config));
      // Warnings, not problems: the gateway starts with them (exit 0), but a feature stays off until they are fixed.
      ConfigWarnings.of(config).forEach(warning -> out.println("Warning: " + warning));
      return 0;
    }
    return start(config, sandbox, file == null ? null : FileConfigSource.of(file, resolved), out, err);
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

  /** The file given, else {@code conf/gateway.yaml} when it exists, else none (built-in defaults). */
  private static Path configFile(Path given) {
    if (given != null) {
      return given;
    }
    return Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  /** Watches the file (when there is one) and makes SIGHUP reload it. */
  private static Future<?> watch(Gateway gateway, FileConfigSource source, UnaryOperator<GatewayConfig> adjust) {
    ReloadSignal.install(source == null ? null : gateway.liveConfig()
        .watch(new FileConfigSource(source.file(), source.env(), adjust), WATCH_INTERVAL));
    return Future.succeededFuture();
  }

  private static int start(GatewayConfig config, SimulatorSettings sandbox, FileConfigSource source, PrintStream out,
      PrintStream err) {
    Vertx vertx = Vertx.vertx(vertxOptions(config.server()));
    // SIGTERM and SIGINT drain gracefully (Termination); the hook covers any other way the JVM is asked to exit.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(vertx.close()), "mallgate-shutdown"));
    Termination.install(vertx, config.server().shutdownGrace());
    ReloadSignal.installForStartUp();
    try {
      if (sandbox == null) {
        await(vertx.deployVerticle(new GatewayVerticle(config,
            gateway -> watch(gateway, source, UnaryOperator.identity()))));
      } else {
        startSandbox(vertx, config, sandbox, source, out);
      }
      return -1;
    } catch (Exception e) {
      err.println("Mallgate failed to start: " + e.getMessage());
      awaitQuietly(vertx.close());
      return 1;
    }
  }

  /** Starts the simulator and a gateway pointed at it, and prints how to try it (the admin link included). */
  private static void startSandbox(Vertx vertx, GatewayConfig config, SimulatorSettings sandbox,
      FileConfigSource source, PrintStream out) throws Exception {
    Cafe24Simulator simulator = new Cafe24Simulator(vertx, sandbox);
    await(simulator.start(0));
    GatewayConfig simulated = SandboxMode.configure(config, simulator, sandbox);
    // A reloaded file is pointed at the same simulator and store, or every reload would ask for a restart.
    UnaryOperator<GatewayConfig> adjust = c -> c.withCafe24(simulated.cafe24()).withStore(simulated.store());
    await(vertx.deployVerticle(new GatewayVerticle(simulated, gateway -> watch(gateway, source, adjust),
        Clock.systemUTC(), SandboxMode.extension(simulator))));
    out.println("Sandbox: simulated Cafe24 at " + simulator.baseUrl() + ", mall '" + SandboxMode.DEMO_MALL
        + "' installed. Try:");
    out.println("  curl http://localhost:" + config.server().port() + "/malls/demo/api/v2/admin/products");
    out.println("  curl -X POST 'http://localhost:" + config.server().port()
        + "/sandbox/webhooks/90078?mall_id=demo'   # a sample webhook: 90078 app expired, 90079 extended");
    String adminLink = SandboxMode.adminLink(config);
    if (adminLink != null) {
      // The console, not a logger: this line carries the admin token, and no log line ever may.
      out.println("Admin page: " + adminLink);
    }
  }

  /** Enough event loops for the servers' (Vert.x's default is two per core), on the native transport if asked. */
  static VertxOptions vertxOptions(GatewayConfig.Server server) {
    return new VertxOptions()
        .setPreferNativeTransport(server.nativeTransport())
        .setEventLoopPoolSize(Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, server.eventLoops()));
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
