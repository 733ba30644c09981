package io.mallgate.health;

import io.mallgate.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis's {@code maxmemory-policy}, read once at start-up. An {@code allkeys-*} policy lets Redis evict any key under
 * memory pressure, tokens included, and a token evicted is a refresh token lost: the merchant must install again.
 * Tokens need {@code noeviction} or a {@code volatile-*} policy (token keys carry no expiry, so those never take
 * them). Read through {@code INFO memory}, which managed Redis services keep even where they rename {@code CONFIG}.
 * Thread-safe.
 */
public final class EvictionPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(EvictionPolicy.class);
  private static final Pattern POLICY = Pattern.compile("(?m)^maxmemory_policy:([a-z0-9-]{1,40})\\r?$");

  private volatile String warning;

  /**
   * Reads the policy; logs one WARN when it can evict tokens. Never fails: a Redis that does not say is not a
   * reason to refuse to start (readiness covers a Redis that does not answer).
   */
  public Future<Void> read(RedisCommands redis) {
    return redis.send(Request.cmd(Command.INFO).arg("memory"))
        .map(reply -> policy(reply == null ? "" : reply.toString()))
        .onSuccess(this::judge)
        .<Void>mapEmpty()
        .otherwise(failure -> {
          LOG.debug("could not read Redis's maxmemory-policy ({})", failure.getClass().getSimpleName());
          return null;
        });
  }

  /** What the policy risks, or {@code null} when it keeps tokens (or is not known). For readiness details. */
  public String warning() {
    return warning;
  }

  static String policy(String info) {
    Matcher matcher = POLICY.matcher(info);
    return matcher.find() ? matcher.group(1) : null;
  }

  private void judge(String policy) {
    if (policy != null && policy.startsWith("allkeys-")) {
      warning = "Redis maxmemory-policy is " + policy + ": under memory pressure Redis may evict tokens (a lost "
          + "refresh token means the merchant must install again); set noeviction or a volatile-* policy";
      LOG.warn(warning);
    }
  }
}
