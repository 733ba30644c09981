package io.mallgate.redis;

/**
 * Every Redis key the gateway uses is built here, and only here, so the key space can be read in one place.
 *
 * <p>Keys that belong to a mall carry the mall id as a hash tag ({@code {mall}}): Redis Cluster then puts all of one
 * mall's keys in one slot, which is what lets a Lua script touch them together. Keys that are not about one mall
 * (the mall index, OAuth states) carry no tag and may live anywhere.
 */
public final class RedisKeys {

  private static final String PREFIX = "mallgate:";

  private RedisKeys() {
  }

  /**
   * The hash holding a mall's token record: fields {@code v}, {@code data}, {@code updated}, {@code reauth},
   * {@code refresh}.
   */
  public static String token(String mall) {
    return PREFIX + tag(mall) + ":token";
  }

  /** The mall's refresh lock (a string holding the owner's random id, with a lease). */
  public static String lock(String mall) {
    return PREFIX + tag(mall) + ":lock";
  }

  /**
   * The mall's shared rate bucket, a hash: {@code tat}, when the bucket will be empty again (GCRA), and {@code from},
   * when the current busy period starts to drain; both milliseconds since the epoch on Redis's clock, as decimals.
   * Expires when the bucket has drained empty.
   */
  public static String rate(String mall) {
    return PREFIX + tag(mall) + ":rate";
  }

  /** Set while Cafe24 has told the gateway to stop calling the mall; expires when the wait is over. */
  public static String pause(String mall) {
    return PREFIX + tag(mall) + ":pause";
  }

  /** The set of mall ids that have a token record: a listing index, never the source of truth. */
  public static String mallIndex() {
    return PREFIX + "malls";
  }

  /** A pending OAuth install, keyed by its {@code state}. */
  public static String oauthState(String state) {
    if (state == null || state.isEmpty()) {
      throw new IllegalArgumentException("oauth state must not be empty");
    }
    return PREFIX + "oauth-state:" + state;
  }

  // A brace inside the id would end the hash tag early and scatter the mall's keys over several slots; mall ids are
  // validated long before this point, so this only catches programming errors.
  private static String tag(String mall) {
    if (mall == null || mall.isEmpty() || mall.indexOf('{') >= 0 || mall.indexOf('}') >= 0) {
      throw new IllegalArgumentException("mall id must be non-empty and free of braces");
    }
    return "{" + mall + "}";
  }

  /** The pub/sub channel on which instances announce a mall's new token record ({@code "<mall> <version>"}). */
  public static String tokenUpdatesChannel() {
    return "mallgate:token-updates";
  }
}
