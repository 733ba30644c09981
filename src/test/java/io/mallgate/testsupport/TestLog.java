package io.mallgate.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tests' log file ({@code logback-test.xml} writes every line of every test there, {@code io.mallgate} at DEBUG).
 * Each test JVM ({@code mallgate.fork}, set by Surefire) has its own file, and runs its classes one after another, so
 * the lines written between a class's start and end are its own.
 */
public final class TestLog {

  static final Path FILE = Path.of("target", "test-logs",
      "mallgate-tests-" + System.getProperty("mallgate.fork", "1") + ".log");

  private TestLog() {
  }

  /** The log's size now: where {@link #linesSince} starts reading. */
  public static long mark() throws IOException {
    return Files.exists(FILE) ? Files.size(FILE) : 0L;
  }

  /** The lines written since {@code from}. */
  public static List<String> linesSince(long from) throws IOException {
    if (!Files.exists(FILE)) {
      return List.of();
    }
    try (RandomAccessFile file = new RandomAccessFile(FILE.toFile(), "r")) {
      long length = file.length();
      if (length <= from) {
        return List.of();
      }
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
  }
}
