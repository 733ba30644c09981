package io.mallgate.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The first line of a compacted embedded webhook log, {@code {"first_offset":N}}: the log offset of the entry after
 * it. A log offset counts every byte ever appended to the log, those compacted away included, so an offset (a
 * fan-out cursor) names the same place before and after any compaction. A log never compacted has no header: its
 * offsets are byte positions. The header is written only into a compaction's complete replacement file, so it is
 * never cut short.
 *
 * @param first  the log offset of the byte just after the header
 * @param length the header's length in bytes, newline included (0: no header)
 */
public record LogHeader(long first, int length) {

  /** The header of a log never compacted. */
  public static final LogHeader NONE = new LogHeader(0, 0);

  private static final String PREFIX = "{\"first_offset\":";
  private static final int MAX_LENGTH = PREFIX.length() + 22;

  /** The header at the start of the file, or {@link #NONE}. Blocking. */
  public static LogHeader read(FileChannel channel) throws IOException {
    ByteBuffer start = ByteBuffer.allocate(MAX_LENGTH);
    while (start.hasRemaining() && channel.read(start, start.position()) > 0) {
      // read what is there
    }
    String text = new String(start.array(), 0, start.position(), StandardCharsets.ISO_8859_1);
    int end = text.indexOf("}\n");
    if (!text.startsWith(PREFIX) || end < 0) {
      return NONE;
    }
    try {
      return new LogHeader(Long.parseLong(text.substring(PREFIX.length(), end)), end + 2);
    } catch (NumberFormatException e) {
      return NONE; // not a header this code wrote: the first line is an entry (or a broken one) like any other
    }
  }

  /** The header line of a log whose next byte has log offset {@code first}. */
  public static byte[] line(long first) {
    return (PREFIX + first + "}\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The log offset of the byte at {@code position} in the file (at or after the header). */
  public long offset(long position) {
    return first + position - length;
  }

  /** The position in the file of log offset {@code offset} (at or after {@link #first}). */
  public long position(long offset) {
    return offset - first + length;
  }
}
