package io.mallgate.webhook;

import io.mallgate.proxy.MallId;
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
 * {@code mall_reauthorization_required} with the install URL, and a new install or token import clears the mark. The
 * mark bumps the record's version and is announced, so every instance drops its cached token at once.
 *
 * <p>Safe to apply again to a resent copy: an event older than the mall's last write (a reinstall since) is ignored,
 * so a late resend never locks out a merchant who installed again. Thread-safe.
 */
public final class AppLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AppLifecycle.class);
  private static final Map<String, String> REASONS = Map.of("90077", "app_deleted", "90078", "app_expired");
  private static final int ATTEMPTS = 3;

  private final TokenStore store;
  private final TokenUpdates updates;
  private final Clock clock;
  private final RefreshListener marks;

  public AppLifecycle(TokenStore store, TokenUpdates updates, Clock clock) {
    this(store, updates, clock, new RefreshListener() { });
  }

  /** @param marks told of each mall this class marks (the alerts), like the refresh protocol tells of its marks */
  public AppLifecycle(TokenStore store, TokenUpdates updates, Clock clock, RefreshListener marks) {
    this.store = store;
    this.updates = updates;
    this.clock = clock;
    this.marks = marks;
  }

  /**
   * Applies a recorded event; most events mean nothing here.
   *
   * @param acceptedAt when the event (or its first copy) was recorded
   * @return whether a mall was marked now; fails with {@code token_store_unavailable} when the store did not answer
   */
  public Future<Boolean> apply(WebhookEvent event, Instant acceptedAt) {
    String reason = REASONS.get(event.eventNo());
    if (reason == null) {
      return Future.succeededFuture(false);
    }
    if (!MallId.isValid(event.mall())) {
      LOG.warn("webhook event {} names no valid mall id; no mall marked", event.eventNo());
      return Future.succeededFuture(false);
    }
    TokenRecord.Reauthorization mark = new TokenRecord.Reauthorization(reason,
        "Cafe24 reported the app " + (reason.equals("app_deleted") ? "deleted from" : "expired for")
            + " this mall (webhook event " + event.eventNo() + ")", clock.instant());
    return mark(event.mall(), mark, acceptedAt, ATTEMPTS);
  }

  private void tell(String mall, TokenRecord.Reauthorization mark) {
    try {
      marks.reauthorizationRequired(mall, mark);
    } catch (RuntimeException e) {
      LOG.error("listener of app lifecycle marks failed", e);
    }
  }

  private Future<Boolean> mark(String mall, TokenRecord.Reauthorization mark, Instant acceptedAt, int attempts) {
    return store.get(mall).compose(record -> {
      if (record == null || record.updatedAt().isAfter(acceptedAt) || record.reauthorizationRequired()
          && record.reauthorization().reason().equals(mark.reason())) {
        return Future.succeededFuture(false); // nothing to mark, installed again since, or marked already
      }
      return store.markReauthorizationRequired(mall, record.version(), mark).compose(marked -> {
        if (marked != null) {
          LOG.warn("mall {} marked reauthorization_required ({}): no refresh until the app is installed again",
              mall, mark.reason());
          tell(mall, mark);
          return updates.publish(mall, marked.version()).map(true);
        }
        // The version moved under us (a refresh): read again and decide again.
        return attempts > 1 ? mark(mall, mark, acceptedAt, attempts - 1) : Future.succeededFuture(false);
      });
    });
  }
}
