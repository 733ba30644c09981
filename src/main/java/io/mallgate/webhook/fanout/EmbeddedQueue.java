package io.mallgate.webhook.fanout;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The embedded mode's webhook log as the fan-out reads it (one instance only): events numbered in the order they
 * were accepted, a saved {@link Cursor} per subscriber, and the dead letters. Implemented on the embedded database;
 * every Future completes on the caller's context.
 */
public interface EmbeddedQueue {

  /**
   * The subscriber's saved cursor; a subscriber without one (new) gets one at the log's end, saved before this
   * completes, so that a restart does not move its start.
   */
  Future<Cursor> cursor(String subscriber);

  /** Up to {@code max} events after {@code seq}, in order (those compaction removed are gone). */
  Future<List<Queued>> read(long seq, int max);

  /** Saves the subscriber's cursor. */
  Future<Void> save(String subscriber, Cursor cursor);

  /**
   * Keeps a dead letter for {@code entry}: {@code failure} (never a secret), the event's fields and body. False when
   * this subscriber already has one for the event (a crash between the dead letter and the cursor's save).
   */
  Future<Boolean> deadLetter(StreamEntry entry, Map<String, String> failure);

  /** The dead letters, for the admin API. */
  DeadLetterStore deadLetters();

  /**
   * An event of the log.
   *
   * @param seq   its number in the log: increasing, never reused
   * @param entry the event
   */
  record Queued(long seq, StreamEntry entry) {
  }

  /**
   * One subscriber's place in the log: the number of the last event delivered, passed over (filtered out) or
   * dead-lettered, and the failed attempts so far of the event after it ({@code headId}), so that a restart neither
   * forgets an event nor resets its attempt count.
   *
   * @param seq      the last event done with
   * @param headId   the id of the next event that failed {@code attempts} times, or {@code ""}
   * @param attempts failed attempts of {@code headId}
   */
  record Cursor(long seq, String headId, long attempts) {

    /** Past the event {@code seq}: it was delivered, passed over or dead-lettered. */
    public Cursor advance(long past) {
      return new Cursor(past, "", 0);
    }

    /** Failed attempts so far of the event {@code id}. */
    public long attemptsOf(String id) {
      return id.equals(headId) ? attempts : 0;
    }

    /** The event {@code id} after {@code seq} failed its attempt number {@code attempt}. */
    public Cursor failed(String id, long attempt) {
      return new Cursor(seq, id, attempt);
    }
  }
}
