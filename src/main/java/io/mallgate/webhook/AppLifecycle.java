package io.mallgate.webhook;

import io.mallgate.cafe24.MallId;
import io.mallgate.token.RefreshListener;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on Cafe24's app lifecycle events once they are recorded: 90077 (app deleted from the mall) and 90078 (app
 * expired) mark the mall {@code reauthorization_required} with reason {@code app_deleted} or {@code app_expired}, the
 * mark the refresh protocol uses for a dead refresh token. A marked mall is never refreshed, its callers get 401
 * {@code mall_reauthorization_required} with the install URL, and a new install or token import clears the mark.
 * 90079 (app expiry extended: the merchant renewed) clears an {@code app_expired} mark, and only that one: a deleted
 * app needs a new install, and a dead refresh token ({@code invalid_grant}, {@code refresh_token_lost}) stays dead
 * whatever the app's subscription says. Every change bumps the record's version and is announced, so every instance
 * drops its cached token at once.
 *
 * <p>Safe to apply again to a resent copy, and to events that arrive late: an event first recorded before the mall's
 * last write changes nothing. "First recorded" is the body's first sighting in the {@link LifecycleLedger}, which
 * outlives the de-duplication window: a captured 90077 replayed months after a reinstall is still the old event. For a mark, that write is a reinstall since (a late 90077 never locks out a merchant who
 * installed again); for a clear, it is the mark itself or anything after it (a 90079 not newer than the 90078 it would
 * answer never clears it). Both times come from the same clock in the shared mode (Redis's) and the embedded one (the
 * instance's). Cafe24 puts no time in the body, so a 90079 recorded before a late 90078 leaves the mall marked: the
 * safe side, which an operator can undo ({@code DELETE /admin/malls/{mall}/reauthorization}). Thread-safe.
 */
public final class AppLifecycle {

  /** What applying an event did. */
  public enum Change {
    /** Nothing: not a lifecycle event, no such mall, marked already, or older than the mall's last write. */
    NONE,
    /** The mall was marked {@code reauthorization_required}. */
    MARKED,
    /** The mall's {@code app_expired} mark was cleared: it is served again. */
    CLEARED
  }

  static final String APP_EXPIRED = "app_expired";
  private static final String EXPIRY_EXTENDED = "90079";
  private static final Logger LOG = LoggerFactory.getLogger(AppLifecycle.class);
  private static final Map<String, String> REASONS = Map.of("90077", "app_deleted", "90078", APP_EXPIRED);
  private static final int ATTEMPTS = 3;

  private final TokenStore store;
  private final TokenUpdates updates;
  private final Clock clock;
  private final RefreshListener marks;
  private final LifecycleLedger ledger;

  /**
   * @param marks  told of each mall this class marks (the alerts), like the refresh protocol tells of its marks
   * @param ledger first sightings of lifecycle events, so that a late replay keeps its old time
   */
  public AppLifecycle(TokenStore store, TokenUpdates updates, Clock clock, RefreshListener marks,
      LifecycleLedger ledger) {
    this.store = store;
    this.updates = updates;
    this.clock = clock;
    this.marks = marks;
    this.ledger = ledger;
  }

  /**
   * Applies a recorded event; most events mean nothing here.
   *
   * @param acceptedAt when the event (or its first copy) was recorded
   * @return what changed; fails with {@code token_store_unavailable} when the store did not answer
   */
  public Future<Change> apply(WebhookEvent event, Instant acceptedAt) {
    String reason = REASONS.get(event.eventNo());
    if (reason == null && !EXPIRY_EXTENDED.equals(event.eventNo())) {
      return Future.succeededFuture(Change.NONE);
    }
    if (!MallId.isValid(event.mall())) {
      LOG.warn("webhook event {} names no valid mall id; no mall changed", event.eventNo());
      return Future.succeededFuture(Change.NONE);
    }
    return ledger.firstSeen(event.mall(), event.sha256(), acceptedAt)
        .compose(firstSeen -> reason == null ? clear(event.mall(), firstSeen, ATTEMPTS)
            : mark(event, reason, firstSeen));
  }

  private Future<Change> mark(WebhookEvent event, String reason, Instant firstSeen) {
    TokenRecord.Reauthorization mark = new TokenRecord.Reauthorization(reason,
        "Cafe24 reported the app " + (reason.equals("app_deleted") ? "deleted from" : "expired for")
            + " this mall (webhook event " + event.eventNo() + ")", clock.instant());
    return mark(event.mall(), mark, firstSeen, ATTEMPTS);
  }

  private void tell(String mall, TokenRecord.Reauthorization mark) {
    try {
      marks.reauthorizationRequired(mall, mark);
    } catch (RuntimeException e) {
      LOG.error("listener of app lifecycle marks failed", e);
    }
  }

  private Future<Change> mark(String mall, TokenRecord.Reauthorization mark, Instant acceptedAt, int attempts) {
    return store.get(mall).compose(record -> {
      if (record == null || record.updatedAt().isAfter(acceptedAt) || record.reauthorizationRequired()
          && record.reauthorization().reason().equals(mark.reason())) {
        return Future.succeededFuture(Change.NONE); // nothing to mark, installed again since, or marked already
      }
      return store.markReauthorizationRequired(mall, record.version(), mark).compose(marked -> {
        if (marked != null) {
          LOG.warn("mall {} marked reauthorization_required ({}): no refresh until the app is installed again",
              mall, mark.reason());
          tell(mall, mark);
          return updates.publish(mall, marked.version()).map(Change.MARKED);
        }
        // The version moved under us (a refresh): read again and decide again.
        return attempts > 1 ? mark(mall, mark, acceptedAt, attempts - 1) : Future.succeededFuture(Change.NONE);
      });
    });
  }

  private Future<Change> clear(String mall, Instant acceptedAt, int attempts) {
    return store.get(mall).compose(record -> {
      if (record == null || !record.reauthorizationRequired()
          || !APP_EXPIRED.equals(record.reauthorization().reason())) {
        return Future.succeededFuture(Change.NONE); // not expired: a deleted app or a dead token stays marked
      }
      // Strictly after: within the same millisecond the order is unknown, and a wrongly kept mark can be cleared by
      // an operator, while a wrongly cleared one lets calls go to an app Cafe24 has stopped.
      if (!acceptedAt.isAfter(record.updatedAt())) {
        LOG.info("webhook event 90079 for mall {} is not newer than its app_expired mark: the mark stays", mall);
        return Future.succeededFuture(Change.NONE);
      }
      // Compare-and-clear: a mark written between the read and the clear (a 90077) is never cleared.
      return store.clearReauthorization(mall, record.version()).compose(cleared -> {
        if (cleared != null) {
          LOG.info("mall {}: Cafe24 reported the app's expiry extended (90079); app_expired mark cleared", mall);
          return updates.publish(mall, cleared.version()).map(Change.CLEARED);
        }
        return attempts > 1 ? clear(mall, acceptedAt, attempts - 1) : Future.succeededFuture(Change.NONE);
      });
    });
  }
}
