package io.mallgate.webhook.fanout;

import io.mallgate.file.AtomicFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One subscriber's place in the embedded webhook log: the log offset just after the last event delivered, passed
 * over (filtered out) or dead-lettered, and the failed attempts so far of the event at that offset (its id in
 * {@code headId}), so that a restart neither forgets an event nor resets its attempt count. A log offset counts every
 * byte ever appended, compacted away or not ({@link io.mallgate.webhook.LogHeader}), so a compaction never moves a
 * cursor. Immutable; saved as a small JSON file replaced atomically ({@link AtomicFile}). Loading and saving block:
 * call them on a worker.
 *
 * @param offset   bytes of the log already handled, counted from the log's very first entry
 * @param headId   the id of the event at {@code offset} that failed {@code attempts} times, or {@code ""}
 * @param attempts failed attempts of {@code headId}
 */
record FileCursor(long offset, String headId, long attempts) {

  /** The cursor saved in {@code file}, or {@code null} when there is none yet (a new subscriber). */
  static FileCursor load(Path file) throws IOException {
    if (Files.notExists(file)) {
      return null;
    }
    try {
      JsonObject saved = new JsonObject(Files.readString(file));
      return new FileCursor(saved.getLong("offset"), saved.getString("head_id", ""), saved.getLong("attempts", 0L));
    } catch (RuntimeException e) {
      // Saved by atomic renames, so only a hand edit gets here: better refuse to start than guess where to resume.
      throw new IOException("fan-out cursor " + file + " is not a cursor (fix it, or delete it to start at the end)");
    }
  }

  void save(Path file) throws IOException {
    AtomicFile.write(file, new JsonObject().put("offset", offset).put("head_id", headId).put("attempts", attempts)
        .toBuffer().getBytes());
  }

  /** Past the event ending at {@code end}: it was delivered, passed over or dead-lettered. */
  FileCursor advance(long end) {
    return new FileCursor(end, "", 0);
  }

  /** Failed attempts so far of the event {@code id} at the offset. */
  long attemptsOf(String id) {
    return id.equals(headId) ? attempts : 0;
  }

  /** The event {@code id} at the offset failed its attempt number {@code attempt}. */
  FileCursor failed(String id, long attempt) {
    return new FileCursor(offset, id, attempt);
  }
}
