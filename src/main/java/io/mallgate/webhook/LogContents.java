package io.mallgate.webhook;

import io.mallgate.file.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the embedded webhook log holds when it opens, read line by line ({@link LogLines}), never whole.
 *
 * @param seen     the de-duplication window's entries: body hash to entry id, oldest first
 * @param entries  lines after the header (entries, and lines a crash cut short)
 * @param header   the file's header ({@link LogHeader#NONE} for a log never compacted)
 * @param cutShort whether the file ends in half a line (a crash during an append)
 */
record LogContents(LinkedHashMap<String, Future<String>> seen, long entries, LogHeader header, boolean cutShort) {

  /**
   * Reads the log at {@code path} (none yet: empty), keeping the entries accepted from {@code cutoff} on. Deletes first
   * the temporary files a crash left beside it: a compaction that never renamed its copy over the log, which is whole.
   * Blocking: call it on a worker.
   */
  static LogContents read(Path path, long cutoff) throws IOException {
    AtomicFile.createPrivateDirectories(path.toAbsolutePath().getParent());
    AtomicFile.removeLeftovers(path);
    LinkedHashMap<String, Future<String>> seen = new LinkedHashMap<>();
    if (Files.notExists(path)) {
      return new LogContents(seen, 0, LogHeader.NONE, false);
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      LogHeader header = LogHeader.read(channel);
      long size = channel.size();
      LogLines lines = new LogLines(channel, header.length(), size);
      long entries = 0;
      long end = header.length();
      while (lines.next()) {
        entries++;
        end = lines.end();
        if (lines.acceptedMillis() >= cutoff) {
          remember(seen, lines);
        }
      }
      return new LogContents(seen, entries, header, end < size);
    }
  }

  private static void remember(Map<String, Future<String>> seen, LogLines lines) {
    try {
      JsonObject entry = lines.json();
      String sha256 = entry.getString("sha256");
      if (sha256 != null) {
        seen.putIfAbsent(sha256, Future.succeededFuture(entry.getString("id")));
      }
    } catch (RuntimeException e) {
      // A line cut short by a crash: never acknowledged, so Cafe24 sends it again.
    }
  }
}
