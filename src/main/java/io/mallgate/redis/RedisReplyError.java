package io.mallgate.redis;

/**
 * A Redis error reply that says something about the command, not about the connection: {@code NOSCRIPT},
 * {@code WRONGTYPE}, {@code ERR …}. Only {@link RedisCommands#sendRaw} lets it out, so that code in this package can
 * react to a specific reply (the script loader to {@code NOSCRIPT}); everything public sees a
 * {@link RedisUnavailable} (or its meaning to the caller) instead.
 *
 * <p>The message is the reply's error code alone: the rest of a reply can quote a script's arguments.
 */
final class RedisReplyError extends RuntimeException {

  private final String code;

  RedisReplyError(String code) {
    super(code, null, false, false);
    this.code = code;
  }

  /** The reply's first word, upper case, e.g. {@code NOSCRIPT}. */
  String code() {
    return code;
  }
}
