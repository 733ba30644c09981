package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mall's token: {@link #token} before the call (the step), and {@link #afterUnauthorized}, which the retry step
 * asks when Cafe24 refused it. The token service is shared by every event loop: its answers are brought back to the
 * request's ({@link RequestLoop#back}).
 *
 * <p>The Front API authenticates the app, not the mall's install: it reads no stored token, and a 401 there is
 * never cured by refreshing one.
 */
final class TokenSteps {

  private static final Logger LOG = LoggerFactory.getLogger(TokenSteps.class);

  private final TokenService tokens;

  TokenSteps(TokenService tokens) {
    this.tokens = tokens;
  }

  /**
   * Gets the mall's current token (refreshing it first when it is due) and allows one replay with a fresh one. A
   * Front API call goes on without one, and without a replay.
   */
  Future<HttpClientResponse> token(ProxyCall call, ProxyChain next) {
    if (call.target().front()) {
      return next.proceed(call);
    }
    return ProxyChain.when(call.loop().back(tokens.forRequest(call.mall(), call.span())), record -> {
      call.useToken(record);
      return next.proceed(call);
    });
  }

  /**
   * After a 401 to a call that may still replay: the token to send it again with, its 401 read and dropped; or
   * {@code null} when this 401 goes back to the caller as Cafe24 sent it ({@link ProxyCall#keep}).
   *
   * <p>Only a 401 that names the access token is worth a refresh ({@link UnauthorizedBody}). No 401 starts more than
   * one refresh per mall per {@code tokens.minRefreshInterval}: when the token service has no newer token to offer,
   * this 401 goes back too. A body too big to replay cannot be sent again: the 401 goes back, but the refresh still
   * starts, so the next request finds a fresh token.
   */
  Future<TokenRecord> afterUnauthorized(ProxyCall call, HttpClientResponse response) {
    return UnauthorizedBody.read(response).compose(read -> {
      if (!read.namesAccessToken(response)) {
        return goesBack(call, read);
      }
      if (!call.body().replayable()) {
        String mall = call.mall();
        tokens.afterUnauthorized(mall, call.record(), call.span())
            .onFailure(failure -> LOG.debug("refresh after a 401 on mall {} failed", mall));
        call.ctx().response().putHeader(HeaderPolicy.MALLGATE_ERROR, ErrorCode.UPSTREAM_UNAUTHORIZED.code());
        return goesBack(call, read);
      }
      // Cafe24 refused the token before doing anything: sending the request again is safe, even a POST.
      return call.loop().back(tokens.afterUnauthorized(call.mall(), call.record(), call.span()))
          .recover(failure -> read.discard(response).transform(drained -> Future.failedFuture(failure)))
          .compose(fresh -> fresh == null ? goesBack(call, read) : read.discard(response).map(fresh));
    });
  }

  private static Future<TokenRecord> goesBack(ProxyCall call, UnauthorizedBody read) {
    call.keep(read);
    return Future.succeededFuture();
  }
}
