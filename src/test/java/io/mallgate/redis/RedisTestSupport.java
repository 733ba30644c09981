package io.mallgate.redis;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/** Builds clients for the tests of this package. */
final class RedisTestSupport {

  static final Duration DEADLINE = Duration.ofMillis(400);

  private RedisTestSupport() {
  }

  static GatewayConfig.Redis config(String type, String url, List<String> endpoints, String masterName) {
    return new GatewayConfig.Redis(type, Secret.of(url), endpoints.stream().map(Secret::of).toList(), masterName,
        DEADLINE, 4);
  }

  static RedisCommands commands(Vertx vertx, String url) {
    return new RedisCommands(RedisClientFactory.create(vertx, config("standalone", url, List.of(), null)), DEADLINE);
  }
}
