package io.mallgate.redis;

/**
 * Redis did not serve a command: its deadline passed, the connection failed, or Redis answered that it cannot serve
 * now. Neutral on purpose — what it means (the token store is down, the webhook log is) is the caller's to say, once,
 * through {@link RedisCommands#failingAs}. Carries no stack and no argument of the command.
 */
public final class RedisUnavailable extends RuntimeException {

  public RedisUnavailable() {
    super("redis unavailable", null, false, false);
  }
}
