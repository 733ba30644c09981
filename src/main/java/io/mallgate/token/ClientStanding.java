package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Cafe24 accepts this gateway's client credentials, as this instance last heard from its token endpoint. One
 * object per gateway, shared by the token endpoint client (which reports what Cafe24 said), the refresher (which
 * holds refreshes back while the client is refused), readiness ({@code cafe24-client}) and alerts.
 *
 * <p>While refused, refreshes do not reach Cafe24 but for one probe per backoff period (1 s, doubling up to 1 min):
 * every other caller gets 503 {@code cafe24_client_rejected} at once. {@link #retryNow} (a configuration reload, an
 * operator's refresh) lets the next refresh through. Any success of the token endpoint ends the refusal.
 *
 * <p>Thread-safe: state changes are serialized; watchers are told outside the lock, on the caller's thread.
 */
public final class ClientStanding {

  private static final Logger LOG = LoggerFactory.getLogger(ClientStanding.class);
  static final long FIRST_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 60_000;

  /** Why the client is held to be refused. Each has a fixed text: it is shown by readiness and in alerts. */
  public enum Cause {
    /** Cafe24 named the client ({@code Invalid client_secret}, {@code invalid_client}, …). */
    CLIENT_REFUSED("Cafe24's token endpoint refuses the gateway's client credentials: check cafe24.clientId and "
        + "cafe24.clientSecret"),
    /** Many malls' refresh tokens refused alike within a minute: more likely the client than every merchant. */
    WIDESPREAD_REFUSALS("Cafe24 refused the refresh tokens of several malls with the same words within a minute: "
        + "treated as a client fault (check cafe24.clientId and cafe24.clientSecret, or a stale token store); no "
        + "further mall is marked");

    private final String text;

    Cause(String text) {
      this.text = text;
    }

    /** A fixed sentence, safe to show anywhere. */
    public String text() {
      return text;
    }
  }

  /** Told when a refusal starts and ends (alerts). Must not block; exceptions are logged and ignored. */
  public interface Watcher {
    /** The client has just been refused. {@code words}: Cafe24's description, safe to show, or null. */
    void clientRejected(Cause cause, String words);

    /** A refusal has ended: Cafe24 accepted the client again after {@code lasted}. */
    default void clientAccepted(Duration lasted) {
    }
  }

  private final Clock clock;
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private volatile Refusal refusal;

  public ClientStanding(Clock clock) {
    this.clock = clock;
  }

  public void watch(Watcher watcher) {
    watchers.add(watcher);
  }

  /** Whether the client is held to be refused now. */
  public boolean refused() {
    return refusal != null;
  }

  /** The fixed reason readiness shows while refused, or {@code null} while the client is accepted. */
  public String downReason() {
    Refusal current = refusal;
    return current == null ? null : current.cause.text();
  }

  /**
   * Whether a refresh may call Cafe24 now: always while accepted; while refused, only the first caller once the
   * backoff has run out (it claims the next period, so a crowd of malls sends one probe, not one each).
   */
  public synchronized boolean mayCall() {
    Refusal current = refusal;
    long now = clock.millis();
    if (current == null) {
      return true;
    }
    if (now < current.nextCallAt) {
      return false;
    }
    refusal = current.probed(now);
    return true;
  }

  /**
   * Cafe24 refused the client (or refusals look like it did). Starts a refusal; an answer to a probe doubles the
   * backoff (answers to calls sent before the refusal was known do not: they are the same news).
   *
   * @param words Cafe24's description (already cleared of credentials), or null
   */
  public void refuse(Cause cause, String words) {
    boolean started;
    synchronized (this) {
      Refusal current = refusal;
      long now = clock.millis();
      started = current == null;
      refusal = started
          ? new Refusal(cause, clock.instant(), FIRST_BACKOFF_MILLIS, now + FIRST_BACKOFF_MILLIS, false)
          : current.again(cause, now);
    }
    if (started) {
      LOG.error("{} (Cafe24 said: {}); no mall is marked, refreshes wait and retry with backoff", cause.text(),
          words == null ? "nothing more" : words);
      tell(watcher -> watcher.clientRejected(cause, words));
    }
  }

  /** Cafe24's token endpoint accepted the client (a refresh, a code exchange, a revocation): any refusal ends. */
  public void accept() {
    if (refusal == null) {
      return; // the hot path: no lock
    }
    Refusal ended;
    synchronized (this) {
      ended = refusal;
      refusal = null;
    }
    if (ended != null) {
      Duration lasted = Duration.between(ended.since, clock.instant());
      LOG.info("Cafe24 accepts the gateway's client credentials again (refused for {} s)", lasted.toSeconds());
      tell(watcher -> watcher.clientAccepted(lasted));
    }
  }

  /** Lets the next refresh call Cafe24 at once (after a configuration reload, or an operator's refresh). */
  public synchronized void retryNow() {
    Refusal current = refusal;
    if (current != null) {
      refusal = new Refusal(current.cause, current.since, current.backoffMillis, 0, false);
    }
  }

  /** 503 {@code cafe24_client_rejected}, with {@code Retry-After} the time left of the backoff (at least 1 s). */
  public GatewayFailure failure() {
    Refusal current = refusal;
    Cause cause = current == null ? Cause.CLIENT_REFUSED : current.cause;
    long waitMillis = current == null ? FIRST_BACKOFF_MILLIS : current.nextCallAt - clock.millis();
    long seconds = Math.max(1, (waitMillis + 999) / 1000);
    return new GatewayFailure(ErrorCode.CAFE24_CLIENT_REJECTED, cause.text() + "; no mall was marked",
        Map.of("Retry-After", Long.toString(seconds)));
  }

  private void tell(java.util.function.Consumer<Watcher> call) {
    for (Watcher watcher : watchers) {
      try {
        call.accept(watcher);
      } catch (RuntimeException e) {
        LOG.error("client standing watcher failed", e);
      }
    }
  }

  /**
   * A refusal in progress; {@code nextCallAt} in the clock's millis; {@code probing}: a probe went out since the last
   * refusal.
   */
  private record Refusal(Cause cause, Instant since, long backoffMillis, long nextCallAt, boolean probing) {
    Refusal probed(long now) {
      return new Refusal(cause, since, backoffMillis, now + backoffMillis, true);
    }

    /** Refused again: Cafe24 naming the client is the clearer word, and stands once said. */
    Refusal again(Cause latest, long now) {
      Cause kept = latest == Cause.CLIENT_REFUSED ? latest : cause;
      if (!probing) {
        return new Refusal(kept, since, backoffMillis, nextCallAt, false);
      }
      long doubled = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
      return new Refusal(kept, since, doubled, now + doubled, false);
    }
  }
}
