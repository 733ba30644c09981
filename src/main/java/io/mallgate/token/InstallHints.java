package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.util.function.Function;

/**
 * The failures that send a caller to the install page: no token stored, or a dead refresh token. Both name the
 * gateway's install URL for the mall, which the {@code oauth} package knows how to build. Thread-safe.
 */
public final class InstallHints {

  private final Function<String, String> installUrl;

  /** @param installUrl the gateway's install URL for a mall */
  public InstallHints(Function<String, String> installUrl) {
    this.installUrl = installUrl;
  }

  public String installUrl(String mall) {
    return installUrl.apply(mall);
  }

  /** 401 {@code mall_not_authorized}: no token stored. */
  public GatewayFailure notAuthorized(String mall) {
    return new GatewayFailure(ErrorCode.MALL_NOT_AUTHORIZED,
        "no token stored for this mall: install the app at " + installUrl(mall));
  }

  /** 401 {@code mall_reauthorization_required}: the refresh token is dead, only a reinstall helps. */
  public GatewayFailure reauthorizationRequired(String mall, TokenRecord.Reauthorization mark) {
    return new GatewayFailure(ErrorCode.MALL_REAUTHORIZATION_REQUIRED,
        "this mall's Cafe24 authorization is no longer valid (" + mark.reason() + ": " + mark.detail()
            + "); the merchant must reinstall the app at " + installUrl(mall));
  }
}
