package io.mallgate.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A gateway in its own JVM, started the way operators start it ({@code io.mallgate.Main --config FILE}), so that a
 * test can send it real signals. Its stdout and stderr go to a file next to its config.
 */
public final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final Path output;
  private final int port;

  private GatewayProcess(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** Writes {@code config} to {@code dir} and starts a gateway on it; returns once it accepts connections. */
  public static GatewayProcess start(TestConfig config, int port, Path dir) {
    // The production logging (plain lines on stdout) rather than the tests' file: the test reads what it says.
    return start(config, port, dir, "logback.xml", Map.of());
  }

  /**
   * As {@link #start(TestConfig, int, Path)}, with a logback configuration ({@code logback.xml} is the one in the
   * jar, {@code conf/logback.xml} the operators' copy) and extra environment variables.
   */
  public static GatewayProcess start(TestConfig config, int port, Path dir, String logback, Map<String, String> env) {
    return start(config, port, dir, logback, env, List.of(), List.of());
  }

  /** In {@code --sandbox} mode, with {@code java.io.tmpdir} at {@code tmp} (where the sandbox keeps its store). */
  public static GatewayProcess startSandbox(TestConfig config, int port, Path dir, Path tmp) {
    return start(config, port, dir, "logback.xml", Map.of(), List.of("-Djava.io.tmpdir=" + tmp), List.of("--sandbox"));
  }

  private static GatewayProcess start(TestConfig config, int port, Path dir, String logback, Map<String, String> env,
      List<String> jvmArgs, List<String> args) {
    try {
      Path file = dir.resolve("gateway.yaml");
      Files.writeString(file, config.yaml());
      Path output = dir.resolve("gateway.out");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
          "-Dlogback.configurationFile=" + logback));
      command.addAll(jvmArgs);
      command.addAll(List.of("io.mallgate.Main", "--config", file.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      GatewayProcess started = new GatewayProcess(process, output, port);
      started.awaitListening();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** Sends SIGTERM (what {@link Process#destroy} sends on Unix, once per call). */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; returns its exit code, or fails when it is still running after {@code seconds}. */
  public int awaitExit(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("gateway process still running after " + seconds + " s:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The gateway's process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Sends a signal by name ({@code HUP}, {@code TERM}) with {@code kill}: the JDK sends only TERM and KILL itself.
   * Returns once {@code kill} has delivered it.
   */
  public void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Whether the gateway's port accepts a TCP connection right now. */
  public boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the process printed so far. */
  public String output() {
    try {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() {
    try {
      await("the gateway process listening").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .failFast("the gateway process exited", () -> {
            if (!process.isAlive()) {
              throw new AssertionError("gateway process exited with " + process.exitValue() + ":\n" + output());
            }
          })
          .until(this::accepting);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("gateway process not listening after 60 s:\n" + output(), e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
