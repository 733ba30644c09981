package io.mallgate.redis;

/**
 * Hears of every Redis command {@link RedisCommands} sends: its name, how long it took (waiting for a place
 * included) and whether it failed. Called on the command's completing thread; must be cheap and never throw.
 */
public interface CommandListener {

  /** Hears nothing. */
  CommandListener NONE = (command, nanos, failed) -> { };

  /**
   * @param command the command's name in lower case ({@code hmget}, {@code evalsha}, …), never an argument
   * @param nanos   from the call to the reply or the failure
   * @param failed  whether it ended in a failure (deadline, connection, error reply)
   */
  void done(String command, long nanos, boolean failed);
}
