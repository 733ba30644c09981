package io.mallgate.webhook.fanout;

import io.vertx.core.Future;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dead letters as the admin API sees them: pages by id, one entry, and removal. Each dead letter holds the
 * event's own fields and body plus {@code subscriber}, {@code original_id}, {@code attempts}, {@code last_status},
 * {@code last_error} and {@code dead_at}; never a secret. Kept in a Redis stream ({@link DeadLetters}) or, in the
 * embedded mode, in the embedded database.
 */
public interface DeadLetterStore {

  /** A dead letter id ({@code <ms>-<seq>}, as Redis writes stream ids); anything else is refused before a lookup. */
  Pattern ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

  /**
   * Up to {@code count} dead letters after the id {@code after} ({@code ""}: from the oldest), oldest first, of
   * {@code subscriber} only when it is not empty.
   *
   * @return the page, and the id to continue after ({@code null} at the end)
   */
  Future<Page> page(String subscriber, String after, int count);

  /** The dead letter with this id, or {@code null}. */
  Future<StreamEntry> get(String id);

  /** Removes the dead letter; false when there was none with this id. */
  Future<Boolean> delete(String id);

  /** One page of dead letters; {@code next} is the id to pass as {@code after} for the next page, or null. */
  record Page(List<StreamEntry> entries, String next) {
  }
}
