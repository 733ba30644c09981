package io.mallgate.redis;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the one Redis client of the gateway from the {@code redis.*} config. The client pools its connections and
 * reconnects on its own; it has no per-command deadline, which is why every command goes through
 * {@link RedisCommands}.
 */
public final class RedisClientFactory {

  /**
   * Callers beyond the pool size that may wait for a connection. Bounded so that an outage fails requests quickly
   * instead of queueing them without limit; generous enough that a burst does not fail while Redis is healthy.
   */
  static final int POOL_WAITING_PER_CONNECTION = 16;

  /**
   * Commands that may be in flight on one connection. Our commands are short, so a backlog this deep only builds up
   * when Redis stalls, and then failing fast is the better answer (the client's default is 2048).
   */
  static final int MAX_WAITING_HANDLERS = 512;

  private RedisClientFactory() {
  }

  /** Creates the client; it connects lazily, on the first command. */
  public static Redis create(Vertx vertx, GatewayConfig.Redis cfg) {
    return Redis.createClient(vertx, options(cfg));
  }

  /**
   * The client options for a config.
   *
   * @throws IllegalArgumentException when {@code cfg.type()} is not standalone, sentinel or cluster
   */
  static RedisOptions options(GatewayConfig.Redis cfg) {
    RedisOptions options = new RedisOptions()
        .setType(type(cfg.type()))
        .setEndpoints(endpoints(cfg))
        .setMaxPoolSize(cfg.poolSize())
        .setMaxPoolWaiting(Math.max(1, cfg.poolSize()) * POOL_WAITING_PER_CONNECTION)
        .setMaxWaitingHandlers(MAX_WAITING_HANDLERS)
        // Without this a connect to a silent host holds a pool slot for the OS default (minutes), long after the
        // command that wanted it has given up.
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) Math.max(1, cfg.commandTimeout().toMillis()))
            .setTcpKeepAlive(true));
    if (options.getType() == RedisClientType.SENTINEL) {
      // The token store writes, so it must always reach the current master, never a replica.
      options.setMasterName(cfg.masterName()).setRole(RedisRole.MASTER);
    }
    return options;
  }

  private static RedisClientType type(String type) {
    String name = type == null || type.isBlank() ? "STANDALONE" : type.trim().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "STANDALONE", "SENTINEL", "CLUSTER" -> RedisClientType.valueOf(name);
      default -> throw new IllegalArgumentException("unsupported redis.type '" + type
          + "' (expected standalone, sentinel or cluster)");
    };
  }

  private static List<String> endpoints(GatewayConfig.Redis cfg) {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(cfg.url().reveal());
    for (Secret endpoint : cfg.endpoints() == null ? List.<Secret>of() : cfg.endpoints()) {
      if (!endpoint.isEmpty()) {
        endpoints.add(endpoint.reveal());
      }
    }
    return endpoints;
  }
}
