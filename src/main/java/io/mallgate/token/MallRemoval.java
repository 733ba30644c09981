package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;

/**
 * Takes a mall off the gateway: revokes its token pair at Cafe24, then forgets it here, in the store and on every
 * instance. When the revoke fails for a reason that leaves the tokens possibly alive (Cafe24 unreachable, the client
 * refused), the mall is kept so the revoke can be retried, unless the caller forces it; a token Cafe24 already
 * calls dead leaves nothing to revoke. Thread-safe.
 */
public final class MallRemoval {

  /** What a removal did: whether Cafe24 revoked the pair, and whether a stored record was forgotten. */
  public record Outcome(boolean revoked, boolean forgotten) {
  }

  private final TokenStore store;
  private final TokenEndpoint endpoint;
  private final TokenService tokens;

  public MallRemoval(TokenStore store, TokenEndpoint endpoint, TokenService tokens) {
    this.store = store;
    this.endpoint = endpoint;
    this.tokens = tokens;
  }

  /**
   * @param force forget the mall even when the revoke failed
   * @return the outcome; fails with {@code mall_not_found}, {@code cafe24_client_rejected} or
   *     {@code upstream_unreachable} (the mall is kept), or {@code token_store_unavailable}
   */
  public Future<Outcome> remove(String mall, boolean force) {
    return store.get(mall)
        .compose(record -> record == null
            ? Future.failedFuture(new GatewayFailure(ErrorCode.MALL_NOT_FOUND, "no token is stored for this mall"))
            : revoke(mall, record.tokens().refreshToken(), force))
        .compose(revoked -> tokens.forget(mall).map(forgotten -> new Outcome(revoked, forgotten)));
  }

  /** Revokes the pair at Cafe24. A dead token means there is nothing to revoke; anything else keeps the mall. */
  private Future<Boolean> revoke(String mall, String refreshToken, boolean force) {
    return endpoint.revoke(mall, refreshToken, "refresh_token")
        .map(done -> true)
        .recover(failure -> {
          // Only "this token is already dead" means there is nothing to revoke; a refused client (Cafe24 says
          // invalid_grant for a wrong secret too) and the like mean the tokens may still be live, so the mall is kept.
          RefusalVerdict verdict = failure instanceof TokenEndpointException e ? e.verdict() : null;
          boolean alreadyDead = verdict == RefusalVerdict.REFRESH_TOKEN_DEAD
              || failure instanceof TokenEndpointException e && "invalid_token".equals(e.error());
          if (alreadyDead || force) {
            return Future.succeededFuture(false);
          }
          if (verdict == RefusalVerdict.CLIENT_REJECTED) {
            return Future.failedFuture(endpoint.standing().failure());
          }
          return Future.failedFuture(new GatewayFailure(ErrorCode.UPSTREAM_UNREACHABLE,
              "could not revoke the token at Cafe24; the mall is kept (retry, or DELETE with ?force=true)"));
        });
  }
}
