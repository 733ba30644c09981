package io.mallgate.webhook.fanout;

import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fan-out did on this instance, all subscribers together, and how far behind each subscriber's delivery loop
 * is ({@link #lagSeconds}). Thread-safe: the loops write, the scrapes read.
 */
public final class FanoutCounters {

  private final Set<String> subscribers;
  private final Clock clock;
  private final DeliveryListener listener;
  /** Per subscriber: when the oldest event its loop has yet to deliver was recorded (epoch ms), or -1: none. */
  private final ConcurrentHashMap<String, AtomicLong> oldest = new ConcurrentHashMap<>();

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong deadLettersDropped = new AtomicLong();

  /** No subscriber's lag, and no one told of deliveries (for tests and tools that run no fan-out). */
  public FanoutCounters() {
    this(Set.of(), Clock.systemUTC(), DeliveryListener.NONE);
  }

  /**
   * @param subscribers the configured subscribers' names: each has a lag from the start, at 0
   * @param clock       what the lag is measured against
   * @param listener    told of each delivery's delay
   */
  public FanoutCounters(Collection<String> subscribers, Clock clock, DeliveryListener listener) {
    this.subscribers = Set.copyOf(subscribers);
    this.clock = clock;
    this.listener = listener;
    this.subscribers.forEach(name -> oldest.put(name, new AtomicLong(-1)));
  }

  /** An event reached {@code subscriber} with a 2xx; {@code recordedAtMillis} is -1 when unknown. */
  void delivered(String subscriber, long recordedAtMillis) {
    delivered.incrementAndGet();
    if (recordedAtMillis >= 0) {
      listener.delivered(subscriber, Math.max(0, clock.millis() - recordedAtMillis));
    }
  }

  /** The loop of {@code subscriber} has yet to deliver an event recorded at {@code recordedAtMillis}, or none (-1). */
  void oldestUndelivered(String subscriber, long recordedAtMillis) {
    oldest.computeIfAbsent(subscriber, name -> new AtomicLong(-1)).set(recordedAtMillis);
  }

  /** The subscribers configured at start (the label values of the lag and delay meters). */
  public Set<String> subscribers() {
    return subscribers;
  }

  /**
   * How old the oldest event is that this instance's delivery loop for {@code subscriber} has read or seen pending and
   * not yet delivered (nor dead-lettered): 0 when it has none, or for a subscriber it does not know. It grows while a
   * subscriber is down, since the loop keeps retrying that event. Events recorded since the loop's last read are not in
   * it (up to {@code delivery.pollInterval}). Measured against this instance's clock; the time of an event is Redis'
   * (or the embedded log's) clock when it was recorded, so a skew between the two shifts it (never below 0).
   */
  public double lagSeconds(String subscriber) {
    AtomicLong since = oldest.get(subscriber);
    long recorded = since == null ? -1 : since.get();
    return recorded < 0 ? 0 : Math.max(0, clock.millis() - recorded) / 1000.0;
  }

  void failed() {
    failed.incrementAndGet();
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  void replayed() {
    replayed.incrementAndGet();
  }

  public void deadLettersDropped(long count) {
    deadLettersDropped.addAndGet(count);
  }

  /** Attempts a subscriber answered with a 2xx (replays not included). */
  public long deliveredCount() {
    return delivered.get();
  }

  /** Attempts that failed: no answer, or not a 2xx. */
  public long failedCount() {
    return failed.get();
  }

  /** Events given up on and appended to the dead letters. */
  public long deadLetteredCount() {
    return deadLettered.get();
  }

  /** Dead letters delivered by a replay from the admin API. */
  public long replayedCount() {
    return replayed.get();
  }

  /**
   * Dead letters dropped, oldest first, to keep at most {@code webhook.streamMaxLength} (embedded mode; the Redis
   * dead-letter stream is trimmed by Redis, uncounted).
   */
  public long deadLettersDroppedCount() {
    return deadLettersDropped.get();
  }
}
