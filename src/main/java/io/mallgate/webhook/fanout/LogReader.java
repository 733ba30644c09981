package io.mallgate.webhook.fanout;

import io.mallgate.webhook.LogHeader;
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
 * Reads complete lines of the embedded webhook log ({@code FileWebhookLog}'s JSON lines) from a log offset. A line
 * is complete once its newline is written (the log writes each line in one write ending with it), so an entry still
 * being appended is never read half. Offsets are log offsets ({@link LogHeader}): they name the same entry before and
 * after a compaction, which only ever drops the oldest entries. Each read opens the file anew, so it sees the file a
 * compaction swapped in, and reads header and lines from one file. Blocking: call it on a worker.
 */
final class LogReader {

  /**
   * One line.
   *
   * @param entry the event, or {@code null} for a line that is not one (cut short by a crash: never acknowledged)
   * @param end   the log offset just after the line's newline
   */
  record Line(StreamEntry entry, long end) {
  }

  /**
   * Lines read.
   *
   * @param from  where they start: the offset asked for, or later when a compaction dropped the entries there
   * @param lines the lines
   */
  record Batch(long from, List<Line> lines) {
  }

  /**
   * The log offsets the file holds now.
   *
   * @param first the first line's (the first kept by the last compaction; 0 for a log never compacted)
   * @param end   the end's (0 when the log does not exist yet)
   */
  record Span(long first, long end) {
  }

  private LogReader() {
  }

  /** The offsets the log holds now. */
  static Span span(Path log) throws IOException {
    if (Files.notExists(log)) {
      return new Span(0, 0);
    }
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      LogHeader header = LogHeader.read(channel);
      return new Span(header.first(), header.offset(Math.max(header.length(), channel.size())));
    }
  }

  /**
   * Up to {@code max} complete lines from {@code offset} (from the first line kept, when a compaction dropped the
   * entries at {@code offset}), reading at least {@code chunk} bytes at once (more when one line is longer).
   */
  static Batch read(Path log, long offset, int max, int chunk) throws IOException {
    if (Files.notExists(log)) {
      return new Batch(offset, List.of());
    }
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      LogHeader header = LogHeader.read(channel);
      long from = Math.max(offset, header.first());
      long position = header.position(from);
      for (int length = chunk; ; length *= 2) {
        long available = channel.size() - position;
        if (available <= 0) {
          return new Batch(from, List.of());
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(available, length));
        while (bytes.hasRemaining() && channel.read(bytes, position + bytes.position()) > 0) {
          // read what is there
        }
        List<Line> lines = lines(bytes.array(), bytes.position(), from, max);
        // No newline in a full chunk: one line is longer than the chunk, read more of it.
        if (!lines.isEmpty() || bytes.position() >= available || length > Integer.MAX_VALUE / 4) {
          return new Batch(from, lines);
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
