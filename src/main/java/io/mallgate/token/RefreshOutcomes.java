package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each way a refresh ends means for the mall, for the gateway and for the caller: the new pair stored and
 * announced, the mall marked {@code reauthorization_required}, the client held refused, or a plain failure. The
 * {@link TokenRefresher} runs the protocol and hands each ending here. Thread-safe.
 *
 * <p>Only a refusal that names the refresh token ({@link RefusalVerdict#REFRESH_TOKEN_DEAD}) may mark a mall, and not
 * even that while the client is held refused or when refusals alike reach several malls at once
 * ({@link RefusalSpread}): a mark sends a merchant to reinstall, a mark withheld only costs retries.
 */
final class RefreshOutcomes {

  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);

  private final TokenStore store;
  private final TokenUpdates updates;
  private final RefreshListener listener;
  private final Clock clock;
  private final InstallHints hints;
  private final ClientStanding standing;
  private final RefusalSpread spread;

  RefreshOutcomes(TokenStore store, TokenUpdates updates, RefreshListener listener, Clock clock, InstallHints hints,
      ClientStanding standing) {
    this.store = store;
    this.updates = updates;
    this.listener = listener;
    this.clock = clock;
    this.hints = hints;
    this.standing = standing;
    this.spread = new RefusalSpread(clock);
  }

  Future<TokenRecord> stored(String mall, TokenRecord stored) {
    listener.refreshed(mall, stored);
    return note(mall, "refreshed", "the refresh token was redeemed and the new pair stored")
        .compose(noted -> updates.publish(mall, stored.version()))
        .map(published -> stored);
  }

  /**
   * Cafe24 refused the refresh token by name. Unless someone stored a newer one, or the refusal looks like the
   * client's rather than the mall's, the mall is lost until reinstall.
   *
   * @param uncertain an earlier attempt may have redeemed the token (its answer was lost)
   */
  Future<TokenRecord> deadGrant(String mall, TokenRecord record, boolean uncertain, TokenEndpointException e) {
    return store.get(mall).compose(current -> {
      if (current == null || current.version() > record.version()) {
        return Future.succeededFuture(current);
      }
      // Checked only now, after the re-read: a token rotated by another instance is no refusal at all. A refusal
      // after a lost answer is explained by that answer (a refused client is refused at the first attempt), so it
      // does not count towards the spread.
      boolean suspect = standing.refused();
      if (suspect || !uncertain && spread.widespread(e.error() + "/" + e.description(), mall)) {
        LOG.warn("refresh of mall {} refused ({}), but not taken for a dead token: {}", mall, e.getMessage(),
            suspect ? "the client is held refused" : "refusals alike reach several malls");
        standing.refuse(ClientStanding.Cause.WIDESPREAD_REFUSALS, e.description());
        return clientRejected(mall, e);
      }
      TokenRecord.Reauthorization mark = uncertain
          ? new TokenRecord.Reauthorization("refresh_token_lost", "an earlier refresh attempt got no answer and "
              + "evidently redeemed the refresh token; Cafe24 now refuses it", clock.instant())
          : new TokenRecord.Reauthorization("invalid_grant", "Cafe24 refuses the refresh token (expired, revoked "
              + "or redeemed elsewhere)", clock.instant());
      return store.markReauthorizationRequired(mall, current.version(), mark)
          .compose(marked -> marked == null ? store.get(mall) : reauthorizationRequired(mall, marked, mark));
    });
  }

  private Future<TokenRecord> reauthorizationRequired(String mall, TokenRecord marked,
      TokenRecord.Reauthorization mark) {
    LOG.warn("mall {} needs re-authorization ({}): {}; no refresh will be attempted until the app is reinstalled",
        mall, mark.reason(), mark.detail());
    notify(() -> listener.reauthorizationRequired(mall, mark));
    return note(mall, "reauthorization_required", mark.detail())
        .compose(noted -> updates.publish(mall, marked.version()))
        .compose(published -> Future.failedFuture(hints.reauthorizationRequired(mall, mark)));
  }

  /** The client is refused: a configuration fault of the gateway. Nothing is marked; the caller gets 503. */
  Future<TokenRecord> clientRejected(String mall, TokenEndpointException e) {
    return failed(mall, new TokenRecord.RefreshAttempt(clock.instant(), "client_rejected", e.getMessage()),
        standing.failure());
  }

  /** Refused for a reason that names neither the refresh token nor the client: no mark, 502. */
  Future<TokenRecord> rejected(String mall, TokenEndpointException e) {
    LOG.error("refresh of mall {} refused by Cafe24: {}; the mall is not marked (the refusal does not name its "
        + "refresh token)", mall, e.getMessage());
    return failed(mall, new TokenRecord.RefreshAttempt(clock.instant(), "rejected", e.getMessage()),
        new GatewayFailure(ErrorCode.TOKEN_REFRESH_FAILED, "Cafe24 refused to refresh this mall's token: "
            + e.error()));
  }

  /** Cafe24 could not be reached or did not answer, as often as the protocol tries: no mark, 503. */
  Future<TokenRecord> gaveUp(String mall, TokenEndpointException e, String outcome) {
    LOG.warn("refresh of mall {} failed ({}): {}; the mall is not marked, the current token stays in use while valid",
        mall, outcome, e.getMessage());
    return failed(mall, new TokenRecord.RefreshAttempt(clock.instant(), outcome, e.getMessage()),
        new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
            "Cafe24's token endpoint is unavailable; try again shortly", Map.of("Retry-After", "5")));
  }

  Future<Void> note(String mall, String outcome, String detail) {
    return store.recordRefresh(mall, new TokenRecord.RefreshAttempt(clock.instant(), outcome, detail))
        .otherwiseEmpty();
  }

  private Future<TokenRecord> failed(String mall, TokenRecord.RefreshAttempt attempt, GatewayFailure failure) {
    notify(() -> listener.refreshFailed(mall, attempt));
    return store.recordRefresh(mall, attempt).otherwiseEmpty()
        .compose(noted -> Future.failedFuture(failure));
  }

  static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("refresh listener failed", e);
    }
  }
}
