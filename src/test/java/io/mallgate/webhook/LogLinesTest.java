package io.mallgate.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's line scanner against a plain split: long lines, empty lines, a last line without its newline. */
class LogLinesTest {

  @TempDir
  Path dir;

  @Test
  void should_find_every_complete_line_and_its_place_when_lines_outgrow_the_buffer() throws IOException {
    Random random = new Random(7);
    StringBuilder text = new StringBuilder();
    List<long[]> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int length = i % 50 == 0 ? (1 << 20) + random.nextInt(1 << 20) : random.nextInt(3000);
      long start = text.length();
      text.append("{\"id\":\"").append(1000 + i).append("-0\"").append("y".repeat(length)).append('\n');
      expected.add(new long[] {start, text.length(), 1000 + i});
    }
    text.append("{\"id\":\"9999-0\",\"cut\":\"short"); // a crash during an append: not a line
    Path file = dir.resolve("lines");
    Files.writeString(file, text, StandardCharsets.US_ASCII);

    List<long[]> found = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      LogLines lines = new LogLines(channel, 0, channel.size());
      while (lines.next()) {
        found.add(new long[] {lines.start(), lines.end(), lines.acceptedMillis()});
      }
      assertEquals(false, lines.next(), "still nothing after the end");
    }
    assertEquals(expected.size(), found.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(List.of(expected.get(i)[0], expected.get(i)[1], expected.get(i)[2]),
          List.of(found.get(i)[0], found.get(i)[1], found.get(i)[2]), "line " + i);
    }
  }

  @Test
  void should_stop_at_the_limit_when_lines_go_on_after_it() throws IOException {
    Path file = dir.resolve("limited");
    Files.writeString(file, "{\"id\":\"1-0\"}\n\nnot json\n{\"id\":\"2-0\"}\n", StandardCharsets.US_ASCII);
    List<Long> ends = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      LogLines lines = new LogLines(channel, 0, 24); // the third line ends at 24
      while (lines.next()) {
        ends.add(lines.end());
        millis.add(lines.acceptedMillis());
      }
    }
    assertEquals(List.of(13L, 14L, 23L), ends);
    assertEquals(List.of(1L, -1L, -1L), millis, "an empty line and one that is not an entry have no id");
  }
}
