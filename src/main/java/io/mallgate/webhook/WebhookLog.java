package io.mallgate.webhook;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Where verified webhooks are recorded before Cafe24 gets its 200: the Redis Stream ({@link RedisWebhookLog}),
 * shared by every instance, or an append-only file ({@link FileWebhookLog}) for a single instance. Appending and
 * de-duplication are one atomic step. A log that cannot record fails with {@code webhook_store_unavailable}, so
 * Cafe24 resends.
 */
public interface WebhookLog {

  /**
   * Records the event unless a copy with the same body was accepted within the de-duplication window.
   *
   * @return the entry id of the recorded event, or of the earlier copy
   */
  Future<Acceptance> append(WebhookEvent event);

  /** Releases what the log holds; later appends fail. */
  Future<Void> close();

  /**
   * The outcome of an append.
   *
   * @param duplicate whether an earlier copy was found (nothing was recorded now)
   * @param id        the entry id ({@code <milliseconds>-<sequence>}) of the recorded event or of the earlier copy
   */
  record Acceptance(boolean duplicate, String id) {

    /** When the entry was accepted: the milliseconds of its id. */
    public Instant acceptedAt() {
      int dash = id.indexOf('-');
      return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? id : id.substring(0, dash)));
    }
  }
}
