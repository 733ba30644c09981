package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisUnavailable;

/** What an unavailable Redis means to the token store, its lock and its announcements: {@code token_store_unavailable}. */
public final class StoreUnavailable {

  private StoreUnavailable() {
  }

  /** For {@code RedisCommands.failingAs}. */
  public static GatewayFailure tokenStore(RedisUnavailable unavailable) {
    return new GatewayFailure(ErrorCode.TOKEN_STORE_UNAVAILABLE, "token store unavailable");
  }
}
