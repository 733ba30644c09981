package io.mallgate.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The complete lines of the embedded webhook log between two positions, one after the other, read in large chunks
 * (never the whole file at once). A line is complete once its newline is there; bytes after the last newline (an
 * append in flight, or cut short by a crash) are not a line. Blocking: use it on a worker.
 */
final class LogLines {

  private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern ID = Pattern.compile("\\d{1,18}-\\d{1,10}");
  private static final int LONGEST_LINE = 1 << 30;

  private final FileChannel channel;
  private final long limit;
  private byte[] buffer = new byte[1 << 20];
  /** File position of {@code buffer[0]}. */
  private long base;
  private int filled;
  /** The current line: {@code buffer[from, to)}, its newline at {@code to}. */
  private int from;
  private int to;
  /** Where the line after the current one starts. */
  private int following;

  /** Lines starting at {@code position} (a line's start), up to {@code limit} at most. */
  LogLines(FileChannel channel, long position, long limit) {
    this.channel = channel;
    this.base = position;
    this.limit = limit;
  }

  /** Moves to the next complete line; false when there is none before the limit. */
  boolean next() throws IOException {
    from = following;
    int scan = from;
    while (true) {
      for (int i = scan; i < filled; i++) {
        if (buffer[i] == '\n') {
          to = i;
          following = i + 1;
          return true;
        }
      }
      int unfinished = filled - from;
      if (!fill()) {
        return false;
      }
      scan = unfinished;
    }
  }

  // Moves the unfinished line to the buffer's start and reads more after it; false when nothing more is there.
  private boolean fill() throws IOException {
    long end = base + filled;
    if (end >= limit) {
      return false;
    }
    System.arraycopy(buffer, from, buffer, 0, filled - from);
    base += from;
    filled -= from;
    following -= from;
    from = 0;
    if (filled == buffer.length) {
      if (buffer.length >= LONGEST_LINE) {
        throw new IOException("a webhook log line longer than " + LONGEST_LINE + " bytes");
      }
      byte[] larger = new byte[buffer.length * 2];
      System.arraycopy(buffer, 0, larger, 0, filled);
      buffer = larger;
    }
    ByteBuffer room = ByteBuffer.wrap(buffer, filled, (int) Math.min(buffer.length - filled, limit - end));
    int read = channel.read(room, end);
    if (read <= 0) {
      return false;
    }
    filled += read;
    return true;
  }

  /** Where the current line starts in the file. */
  long start() {
    return base + from;
  }

  /** Where the current line ends in the file: just after its newline. */
  long end() {
    return base + to + 1;
  }

  /** The current line's entry id ({@code <ms>-<seq>}, its first field as the log writes it), or null. */
  String id() {
    int at = from + ID_PREFIX.length;
    if (to - from < ID_PREFIX.length || !Arrays.equals(buffer, from, at, ID_PREFIX, 0, at - from)) {
      return null;
    }
    for (int i = at; i < to; i++) {
      if (buffer[i] == '"') {
        String id = new String(buffer, at, i - at, StandardCharsets.ISO_8859_1);
        return ID.matcher(id).matches() ? id : null;
      }
    }
    return null;
  }

  /** When the current line's entry was accepted (the milliseconds of its id), or -1 when it is not an entry. */
  long acceptedMillis() {
    String id = id();
    return id == null ? -1 : Long.parseLong(id.substring(0, id.indexOf('-')));
  }

  /** The current line as JSON; fails (unchecked) when it is not a JSON object. */
  JsonObject json() {
    return new JsonObject(Buffer.buffer(Arrays.copyOfRange(buffer, from, to)));
  }
}
