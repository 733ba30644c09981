package io.mallgate.token;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The blast-radius guard: refusals of refresh tokens in the same words, counted by distinct mall within a sliding
 * window. Dead refresh tokens are each one merchant's story and come one at a time; the same refusal for several
 * malls within a minute is far more likely the gateway's own fault (a wrong client id, a stale restored store), and
 * marking them all would send every merchant to reinstall for nothing.
 *
 * <p>Counts on this instance only. Memory is bounded by what one window holds: entries older than the window go at
 * every call. Thread-safe.
 */
final class RefusalSpread {

  /** Distinct malls at which refusals alike stop being taken for dead tokens. */
  static final int MALLS = 3;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final Clock clock;
  /** words → (mall → when its latest refusal in those words came), oldest first. */
  private final Map<String, LinkedHashMap<String, Long>> seen = new HashMap<>();

  RefusalSpread(Clock clock) {
    this.clock = clock;
  }

  /**
   * Notes that Cafe24 refused {@code mall}'s refresh token in {@code words}.
   *
   * @return whether refusals in these words now concern {@link #MALLS} or more distinct malls within {@link #WINDOW}
   */
  synchronized boolean widespread(String words, String mall) {
    long now = clock.millis();
    long since = now - WINDOW.toMillis();
    Iterator<LinkedHashMap<String, Long>> groups = seen.values().iterator();
    while (groups.hasNext()) {
      LinkedHashMap<String, Long> malls = groups.next();
      malls.values().removeIf(at -> at <= since);
      if (malls.isEmpty()) {
        groups.remove();
      }
    }
    LinkedHashMap<String, Long> malls = seen.computeIfAbsent(words, w -> new LinkedHashMap<>());
    malls.remove(mall); // re-inserted last: the map stays in time order
    malls.put(mall, now);
    return malls.size() >= MALLS;
  }
}
