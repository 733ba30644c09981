package io.mallgate.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' {@code promtool} (Debian's {@code prometheus} package; {@code .ci/run} installs it), run as a child
 * process. A test that needs it calls {@link #require()} first: on a developer machine without it the test is skipped
 * with a message saying how to get it, never failed.
 */
public final class Promtool {

  private static final long LIMIT_SECONDS = 60;

  private final Path binary;

  private Promtool(Path binary) {
    this.binary = binary;
  }

  /** What promtool answered: its exit status and its stdout and stderr together. */
  public record Result(int exit, String output) {
  }

  /** promtool from the {@code PATH}; skips the calling test (a JUnit assumption) when there is none. */
  public static Promtool require() {
    Path found = find();
    Assumptions.assumeTrue(found != null,
        "promtool is not on the PATH: apt-get install prometheus (.ci/run does) to run this test");
    return new Promtool(found);
  }

  /** {@code promtool args...} with {@code stdin} as its standard input. */
  public Result run(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("promtool " + args[0] + " took longer than " + LIMIT_SECONDS + " s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while promtool ran", e);
    }
  }

  private static Path find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
