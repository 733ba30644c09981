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

  /** When each of the mall's app lifecycle event bodies was first seen (webhook.LifecycleLedger). */
  public static String lifecycle(String mall) {
    return PREFIX + tag(mall) + ":lifecycle";
  }

  /** The mall's refresh lock (a string holding the owner's random id, with a lease). */
  public static String lock(String mall) {
    return PREFIX + tag(mall) + ":lock";
  }

  /**
   * The mall's shared rate bucket, a hash: {@code tat}, when the bucket will be empty again (GCRA), {@code from},
   * when the current busy period starts to drain, and {@code next}, when the mall's next call may go (pacing); all
   * milliseconds since the epoch on Redis's clock, as decimals. Expires when the bucket has drained empty and the
   * mall has been idle for a second.
   */
  public static String rate(String mall) {
    return PREFIX + tag(mall) + ":rate";
  }

  /**
   * One minute of a mall's calls per app (the admin API's usage view): a hash of {@code <instance>|<app>} to
   * {@code "<calls> <cafe24 calls> <cafe24 429s>"}, written by each instance in batches; expires a little over an hour
   * after its last write. {@code minute} is minutes since the epoch.
   */
  public static String appUsage(String mall, long minute) {
    return PREFIX + tag(mall) + ":apps:" + minute;
  }

  /** Set while Cafe24 has told the gateway to stop calling the mall; expires when the wait is over. */
  public static String pause(String mall) {
    return PREFIX + tag(mall) + ":pause";
  }

  /**
   * When the deployment's next call to Cafe24 may go ({@code rateLimit.egressPerSecond}), ms since the epoch on Redis's
   * clock. One key for every mall, so no mall's hash tag: on Redis Cluster it lives in a slot of its own, and no
   * script can touch it together with a mall's keys (the rate limiter asks it in a step of its own).
   */
  public static String egress() {
    return PREFIX + "egress";
  }

  /** The set of mall ids that have a token record: a listing index, never the source of truth. */
  public static String mallIndex() {
    return PREFIX + "malls";
  }

  /**
   * The keep-alive leadership lock: a string holding the leading instance's random owner id, with a lease. One key,
   * not about one mall, so no hash tag.
   */
  public static String keepAliveLeader() {
    return PREFIX + "keepalive-leader";
  }

  /**
   * Set (NX, expiring after {@code alerts.window}) by the instance that sends an alert, so no other sends it again
   * within the window. A mall's alerts carry the mall's hash tag; gateway-wide ones ({@code mall} empty) none.
   * {@code condition} and {@code occurrence} are the gateway's own words and numbers, never caller input.
   */
  public static String alertSent(String mall, String condition, String occurrence) {
    String tail = ":alert:" + condition + (occurrence.isEmpty() ? "" : ":" + occurrence);
    return mall.isEmpty() ? PREFIX + "gateway" + tail : PREFIX + tag(mall) + tail;
  }

  /** The nonce of an OAuth install state already presented to the callback (kept until the state expires). */
  public static String oauthStateNonce(String nonce) {
    if (nonce == null || nonce.isEmpty()) {
      throw new IllegalArgumentException("oauth state nonce must not be empty");
    }
    return PREFIX + "oauth-state:" + nonce;
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

  /**
   * The stream webhook events are appended to ({@code webhook.stream}, checked by the config: no spaces, at most one
   * non-empty hash tag).
   */
  public static String webhookStream(String configured) {
    if (configured == null || configured.isEmpty()) {
      throw new IllegalArgumentException("webhook stream name must not be empty");
    }
    return configured;
  }

  /**
   * The de-duplication mark of one webhook body, by the hex SHA-256 of its raw bytes; holds the stream id of the
   * accepted copy and expires after {@code webhook.dedupWindow}. Its hash tag is the stream's own tag, or the whole
   * stream name when it has none, so that Redis Cluster puts the mark and the stream in one slot and one script can
   * write both.
   */
  public static String webhookDedup(String stream, String bodySha256Hex) {
    return PREFIX + "webhook-seen:{" + slotPart(webhookStream(stream)) + "}:" + bodySha256Hex;
  }

  /**
   * The dead-letter stream of the webhook fan-out: events a subscriber refused {@code webhook.delivery.maxAttempts}
   * times. Like {@link #webhookDedup}, it carries the stream's hash tag, so one script can acknowledge an event in
   * the stream and append it here, on Redis Cluster too.
   */
  public static String webhookDeadLetters(String stream) {
    return PREFIX + "webhook-dead:{" + slotPart(webhookStream(stream)) + "}";
  }

  /** The consumer group of one fan-out subscriber on the webhook stream (a group name, not a key). */
  public static String webhookSubscriberGroup(String subscriber) {
    return "mallgate-fanout:" + subscriber;
  }

  // Redis hashes only the part between the first '{' and the next '}' when that part is not empty.
  private static String slotPart(String key) {
    int open = key.indexOf('{');
    int close = open < 0 ? -1 : key.indexOf('}', open + 1);
    if (close > open + 1) {
      return key.substring(open + 1, close);
    }
    if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
      throw new IllegalArgumentException("webhook stream name has a malformed hash tag");
    }
    return key;
  }
}
