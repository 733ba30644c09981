package io.mallgate.webhook.fanout;

import java.util.TreeMap;

/**
 * The events one subscriber's delivery loop knows it has not yet delivered — read, claimed or seen pending, and
 * neither delivered nor dead-lettered since — so that the oldest one gives the subscriber's lag
 * ({@link FanoutCounters#lagSeconds}). Kept from what the loop reads anyway: no store round trip of its own. Each change
 * publishes the oldest one's recording time to the counters, where the scrapes read it.
 *
 * <p>At most {@link #MAX} events are kept: beyond, the newest are let go, which never changes the oldest. Confined to the
 * loop's context.
 */
final class Undelivered {

  static final int MAX = 1024;

  /** By the id's (ms, seq): when the loop last saw the event undelivered, by its clock. */
  private final TreeMap<EntryId, Long> events = new TreeMap<>();
  private final FanoutCounters counters;
  private final String subscriber;

  Undelivered(FanoutCounters counters, String subscriber) {
    this.counters = counters;
    this.subscriber = subscriber;
  }

  /** The event {@code id} is not delivered yet, as seen at {@code now}. An id of another form is not followed. */
  void pending(String id, long now) {
    EntryId key = EntryId.of(id);
    if (key == null) {
      return;
    }
    events.put(key, now);
    if (events.size() > MAX) {
      events.pollLastEntry();
    }
    publish();
  }

  /** The event {@code id} is done with: delivered, dead-lettered, passed over, or someone else's now. */
  void done(String id) {
    EntryId key = EntryId.of(id);
    if (key != null && events.remove(key) != null) {
      publish();
    }
  }

  /** Lets go of the events last seen before {@code before}: had they been pending still, the loop would have seen them. */
  void forgetSeenBefore(long before) {
    if (events.values().removeIf(seen -> seen < before)) {
      publish();
    }
  }

  /** Lets go of every event (a new read will say which are still to deliver). */
  void clear() {
    if (!events.isEmpty()) {
      events.clear();
      publish();
    }
  }

  private void publish() {
    counters.oldestUndelivered(subscriber, events.isEmpty() ? -1 : events.firstKey().millis());
  }

  /** An id {@code <ms>-<seq>}, ordered as the log orders them. */
  private record EntryId(long millis, long seq) implements Comparable<EntryId> {

    /** Null for an id of another form. */
    static EntryId of(String id) {
      int dash = id.indexOf('-');
      if (dash <= 0) {
        return null;
      }
      try {
        return new EntryId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    @Override
    public int compareTo(EntryId other) {
      int byTime = Long.compare(millis, other.millis);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }
}
