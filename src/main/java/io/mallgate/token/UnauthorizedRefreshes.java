package io.mallgate.token;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one refresh started by Cafe24's 401s per mall per {@code tokens.minRefreshInterval}, whatever the 401s
 * say: a 401 that a refresh does not cure — or a token Cafe24 keeps refusing — must never turn into a refresh per
 * request. Within the interval, a 401 joins the refresh of the interval while it runs, or takes the record it produced
 * when that is newer than the one the 401 answered; otherwise nothing is refreshed and the 401 goes back as is.
 *
 * <p>Counts on this instance (each instance may start one per interval; the refresh protocol still redeems a token at
 * most once, and a refresh that finds the version moved redeems nothing). Thread-safe.
 */
final class UnauthorizedRefreshes {

  private final Clock clock;
  private final long intervalMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** @param interval at least 1 ms */
  UnauthorizedRefreshes(Clock clock, Duration interval) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /**
   * The refresh a 401 on {@code usedVersion} should wait for.
   *
   * @param start starts a refresh; called only when the mall's interval allows a new one
   * @return that refresh, the interval's running or newer one, or {@code null}: no refresh now
   */
  Future<TokenRecord> after(String mall, long usedVersion, Supplier<Future<TokenRecord>> start) {
    long now = clock.millis();
    Promise<TokenRecord> mine = Promise.promise();
    Window window = windows.compute(mall, (key, old) -> old != null && now - old.startedAt < intervalMillis
        ? old : new Window(now, mine.future()));
    if (window.result == mine.future()) {
      // Started outside compute: a refresh that completes at once must not run its callbacks inside the map's lock.
      start.get().onComplete(mine);
      return mine.future();
    }
    Future<TokenRecord> result = window.result;
    if (!result.isComplete()) {
      return result;
    }
    TokenRecord produced = result.succeeded() ? result.result() : null;
    return produced != null && produced.version() > usedVersion ? result : null;
  }

  /** The interval's one refresh: when it started (clock millis), and how it ends. */
  private record Window(long startedAt, Future<TokenRecord> result) {
  }
}
