package io.mallgate.webhook.fanout;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads complete lines of the embedded webhook log ({@code FileWebhookLog}'s JSON lines) from a byte offset. A line
 * is complete once its newline is written (the log writes each line in one write ending with it), so an entry still
 * being appended is never read half. Blocking: call it on a worker.
 */
final class LogReader {

  /**
   * One line.
   *
   * @param entry the event, or {@code null} for a line that is not one (cut short by a crash: never acknowledged)
   * @param end   the offset just after the line's newline
   */
  record Line(StreamEntry entry, long end) {
  }

  private LogReader() {
  }

  /** The log's length now (0 when it does not exist yet). */
  static long size(Path log) throws IOException {
    return Files.exists(log) ? Files.size(log) : 0;
  }

  /**
   * Up to {@code max} complete lines from {@code offset}, reading at least {@code chunk} bytes at once (more when one
   * line is longer).
   */
  static List<Line> read(Path log, long offset, int max, int chunk) throws IOException {
    if (size(log) <= offset) {
      return List.of();
    }
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      for (int length = chunk; ; length *= 2) {
        long available = channel.size() - offset;
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(available, length));
        while (bytes.hasRemaining() && channel.read(bytes, offset + bytes.position()) > 0) {
          // read what is there
        }
        List<Line> lines = lines(bytes.array(), bytes.position(), offset, max);
        // No newline in a full chunk: one line is longer than the chunk, read more of it.
        if (!lines.isEmpty() || bytes.position() >= available || length > Integer.MAX_VALUE / 4) {
          return lines;
        }
      }
    }
  }

  private static List<Line> lines(byte[] bytes, int length, long offset, int max) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < length && lines.size() < max; i++) {
      if (bytes[i] == '\n') {
        lines.add(new Line(parse(new String(bytes, start, i - start, StandardCharsets.UTF_8)), offset + i + 1));
        start = i + 1;
      }
    }
    return lines;
  }

  private static StreamEntry parse(String text) {
    try {
      return StreamEntry.fromJson(new JsonObject(text));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
