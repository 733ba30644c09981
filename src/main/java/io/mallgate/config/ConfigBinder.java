package io.mallgate.config;

import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link GatewayConfig} records from a parsed YAML tree, section by section, with the checks that span
 * several keys. Every problem goes to the shared {@link Problems}; the caller throws if there is any.
 */
final class ConfigBinder {

  private static final long COALESCE_MAX_BODY_LIMIT = 1L << 30;

  private final Map<?, ?> root;
  private final Placeholders placeholders;
  private final Problems problems;

  ConfigBinder(Object tree, Placeholders placeholders, Problems problems) {
    this.placeholders = placeholders;
    this.problems = problems;
    if (tree == null || tree instanceof Map<?, ?>) {
      this.root = tree == null ? Map.of() : (Map<?, ?>) tree;
    } else {
      problems.add("(top level)", "expected a mapping of sections (server:, redis:, ...), got "
          + ConfigReader.describe(tree, true));
      this.root = Map.of();
    }
  }

  GatewayConfig bind() {
    for (Object key : root.keySet()) {
      String name = String.valueOf(key);
      if (!Defaults.sections().contains(name)) {
        problems.add(name, Suggestions.unknownKey(name, Defaults.sections()));
      }
    }
    GatewayConfig.Server server = server(reader("server"));
    GatewayConfig.Redis redis = redis(reader("redis"));
    GatewayConfig.Cafe24 cafe24 = cafe24(reader("cafe24"));
    GatewayConfig config = new GatewayConfig(server, redis,
        cafe24, admin(reader("admin")), malls(reader("malls")), store(reader("store")),
        proxy(reader("proxy")), tokens(reader("tokens")), oauth(reader("oauth")), rateLimit(reader("rateLimit")),
        breaker(reader("breaker")), retry(reader("retry")),
        new WebhookBinder(placeholders, problems).bind(reader("webhook"), cafe24.clientSecret()),
        metrics(reader("metrics")), keepalive(reader("keepalive")),
        new AlertsBinder(placeholders, problems).bind(reader("alerts")), tracing(reader("tracing")),
        accessLog(reader("accessLog")));
    checkAcrossSections(config);
    return config;
  }

  /** The refresh lock must outlive a token-endpoint call and its one retry, or two holders could overlap. */
  private void checkAcrossSections(GatewayConfig config) {
    AlertsBinder.checkThresholds(config, problems);
    if (config.metrics().mallLabel() && config.malls().allow().isEmpty()) {
      // Every distinct label value is a series kept for ever: only a known list of malls keeps them bounded.
      problems.add("metrics.mallLabel", "needs malls.allow: a mall label is bounded only by a known list of malls");
    }
    Duration lease = config.tokens().lockLease();
    Duration exchange = config.oauth().exchangeTimeout();
    if (lease != null && exchange != null && lease.compareTo(exchange.multipliedBy(2)) <= 0) {
      problems.add("tokens.lockLease", "must be longer than twice oauth.exchangeTimeout (" + exchange.toMillis() + "ms"
          + "), so a refresh and its retry always finish under the lock");
    }
  }

  private ConfigReader reader(String section) {
    Object raw = root.get(section);
    Map<?, ?> values = Map.of();
    if (raw instanceof Map<?, ?> map) {
      values = map;
    } else if (raw != null) {
      // Described as a secret would be: a misplaced scalar here may be a value meant for a secret key below.
      problems.add(section, "expected a mapping of keys, got " + ConfigReader.describe(raw, true));
    }
    ConfigReader reader = new ConfigReader(section, values, placeholders, problems);
    reader.reportUnknownKeys();
    return reader;
  }

  private GatewayConfig.Server server(ConfigReader r) {
    String host = r.string("host", Checks::notEmpty);
    int port = r.integer("port", 0, 65535);
    int publicPort = r.integer("publicPort", 0, 65535);
    if (publicPort != 0 && publicPort == port) {
      r.problem("publicPort", "must differ from server.port: the public port serves only the public routes");
    }
    String publicHost = r.string("publicHost", value -> null);
    return new GatewayConfig.Server(host, port,
        r.duration("idleTimeout"), (int) Math.min(Integer.MAX_VALUE, r.size("maxHeaderSize")),
        r.duration("shutdownGrace"), eventLoops(r.integer("eventLoops", 0, 256)), r.bool("nativeTransport"),
        publicPort, publicHost == null || publicHost.isEmpty() ? host : publicHost);
  }

  /** {@code 0}: one per core this JVM may use (a container's CPU limit counts). */
  private static int eventLoops(int configured) {
    return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
  }

  private GatewayConfig.Redis redis(ConfigReader r) {
    String type = r.string("type", Checks::redisType);
    Secret url = r.secret("url", Checks::redisUrl);
    List<Secret> endpoints = r.secrets("endpoints", false, Checks::redisEndpoint);
    String masterName = r.string("masterName", ConfigReader.ANY);
    if ("sentinel".equals(type) && "".equals(masterName)) {
      r.problem("masterName", "must not be empty when redis.type is sentinel");
    }
    if (type != null && !type.equals("standalone") && url != null && url.isEmpty()) {
      // Without it the gateway would quietly fall back to the single-instance embedded store.
      r.problem("url", "must be set when redis.type is " + type);
    }
    if ("standalone".equals(type) && !endpoints.isEmpty()) {
      r.problem("endpoints", "only used when redis.type is sentinel or cluster; standalone uses redis.url alone");
    }
    return new GatewayConfig.Redis(type, url, endpoints, masterName, r.duration("commandTimeout"),
        r.integer("poolSize", 1, 1024));
  }

  private GatewayConfig.Cafe24 cafe24(ConfigReader r) {
    BaseUrl baseUrl = r.parsed("baseUrl", BaseUrl::parse);
    boolean allowInsecure = r.bool("allowInsecure");
    if (baseUrl != null && !baseUrl.ssl() && !allowInsecure) {
      r.problem("baseUrl", "http:// needs cafe24.allowInsecure: true (tests and sandbox only); use https://");
    }
    return new GatewayConfig.Cafe24(baseUrl, allowInsecure,
        r.secret("clientId", Checks::clientId),
        r.secret("clientSecret", Checks::notEmpty),
        r.string("redirectUri", Checks::redirectUri),
        r.strings("scopes", true, Checks::scope),
        r.string("apiVersion", Checks::apiVersion),
        r.secret("frontApiKey", Checks::frontApiKey));
  }

  private GatewayConfig.Admin admin(ConfigReader r) {
    return new GatewayConfig.Admin(r.secret("token", Checks::adminToken));
  }

  private GatewayConfig.Malls malls(ConfigReader r) {
    return new GatewayConfig.Malls(Set.copyOf(r.strings("allow", false, Checks::mallId)));
  }

  private GatewayConfig.Store store(ConfigReader r) {
    String file = r.string("file", Checks::notEmpty);
    try {
      return new GatewayConfig.Store(file == null ? null : Path.of(file));
    } catch (InvalidPathException e) {
      r.problem("file", "not a valid path " + Problems.quote(file));
      return new GatewayConfig.Store(null);
    }
  }

  private GatewayConfig.Proxy proxy(ConfigReader r) {
    return new GatewayConfig.Proxy(r.size("maxBodySize"), r.duration("connectTimeout"), r.duration("idleTimeout"),
        r.duration("requestTimeout"), r.integer("poolSize", 1, 10_000), r.integer("poolWaitQueue", -1, 1_000_000),
        r.size("replayBufferSize"), r.duration("totalTimeout"), r.integer("maxConcurrentPerMall", 1, 100_000),
        r.integer("maxConcurrent", 1, 1_000_000),
        Set.copyOf(r.strings("methods", false, Checks::forwardedMethod)), r.duration("bodyTimeout"),
        r.bool("coalesce"), coalesceMaxBody(r), r.bool("requireApp"));
  }

  /** Kept in one buffer per shared call, whose index is an int: at most 1 GiB. */
  private static long coalesceMaxBody(ConfigReader r) {
    long bytes = r.size("coalesceMaxBody");
    if (bytes > COALESCE_MAX_BODY_LIMIT) {
      r.problem("coalesceMaxBody", "must be at most 1GiB (kept in memory for each shared call), got " + bytes
          + " bytes");
    }
    return bytes;
  }

  /** Pacing slower than the drain rate is surely a slip: {@code maxPerSecond} must be at least {@code perSecond}. */
  private GatewayConfig.RateLimit rateLimit(ConfigReader r) {
    GatewayConfig.RateLimit read = new GatewayConfig.RateLimit(r.bool("enabled"), r.integer("capacity", 1, 100_000),
        r.decimal("perSecond", 0.001, 100_000), r.duration("maxWait"), r.integer("maxQueue", 0, 1_000_000),
        r.integer("maxPerSecond", 1, 100_000), r.integer("egressPerSecond", 0, 1_000_000));
    // 0 stands for a value already reported as a problem.
    if (read.maxPerSecond() > 0 && read.perSecond() > read.maxPerSecond()) {
      r.problem("maxPerSecond", "must be at least rateLimit.perSecond (" + read.perSecond() + "), got "
          + read.maxPerSecond() + ": the bucket could never drain at its own rate");
    }
    return read;
  }

  private GatewayConfig.Breaker breaker(ConfigReader r) {
    Set<Integer> statuses = r.strings("failureStatuses", false, Checks::httpStatus).stream()
        .map(Integer::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    return new GatewayConfig.Breaker(r.integer("failureThreshold", 1, 100_000),
        // vertx-circuit-breaker counts failures in whole-second slots: a shorter window would count nothing.
        r.duration("failureWindow", java.time.Duration.ofSeconds(1)),
        r.duration("resetTimeout"), statuses);
  }

  private GatewayConfig.Retry retry(ConfigReader r) {
    Set<String> methods = Set.copyOf(r.strings("methods", false, Checks::idempotentMethod));
    return new GatewayConfig.Retry(methods, r.integer("maxRetries", 0, 5), r.duration("backoff"));
  }

  private GatewayConfig.Tracing tracing(ConfigReader r) {
    return new GatewayConfig.Tracing(r.secret("otlpEndpoint", Checks::otlpEndpoint),
        r.decimal("sampleRatio", 0, 1), r.string("serviceName", Checks::notEmpty));
  }

  private GatewayConfig.AccessLog accessLog(ConfigReader r) {
    Duration interval = r.duration("flushInterval", Duration.ofMillis(10));
    if (interval != null && interval.compareTo(Duration.ofSeconds(10)) > 0) {
      r.problem("flushInterval", "must be at most 10s, got " + interval.toMillis() + "ms");
    }
    return new GatewayConfig.AccessLog(r.string("output", Checks::accessLogOutput),
        r.string("format", Checks::logFormat), interval);
  }

  private GatewayConfig.Metrics metrics(ConfigReader r) {
    return new GatewayConfig.Metrics(r.bool("enabled"), r.bool("mallLabel"), r.integer("maxApps", 1, 10_000));
  }

  /** A refresh token lives 14 days; the scan must come round well within the window it refreshes in. */
  private GatewayConfig.KeepAlive keepalive(ConfigReader r) {
    Duration whenLeft = r.duration("refreshWhenLeft");
    Duration interval = r.duration("interval", Duration.ofSeconds(1));
    Duration jitter = r.duration("jitter");
    if (whenLeft != null && whenLeft.compareTo(Duration.ofDays(14)) >= 0) {
      r.problem("refreshWhenLeft", "must be less than 14d (a refresh token's whole life), or every scan would "
          + "refresh every mall");
    } else if (whenLeft != null && interval != null && interval.compareTo(whenLeft) >= 0) {
      r.problem("interval", "must be shorter than keepalive.refreshWhenLeft, or a mall could lapse between scans");
    }
    if (jitter != null && interval != null && jitter.compareTo(interval) > 0) {
      r.problem("jitter", "must not be longer than keepalive.interval");
    }
    return new GatewayConfig.KeepAlive(r.bool("enabled"), whenLeft, interval, jitter,
        r.integer("maxConcurrent", 1, 64), r.duration("leaderLease", Duration.ofSeconds(1)));
  }

  private GatewayConfig.Tokens tokens(ConfigReader r) {
    String encryption = r.string("encryption", Checks::encryption);
    boolean[] malformed = {false};
    List<Secret> keys = r.secrets("encryptionKeys", false, value -> {
      String problem = Checks.encryptionKey(value);
      malformed[0] |= problem != null;
      return problem;
    }).stream().filter(key -> !key.isEmpty()).toList();
    long ids = keys.stream().map(key -> key.reveal().substring(0, key.reveal().indexOf(':'))).distinct().count();
    if (ids < keys.size()) {
      r.problem("encryptionKeys", "two keys have the same id; every key needs its own (ids name the key in each "
          + "sealed value)");
    }
    if (!"none".equals(encryption) && keys.isEmpty() && !malformed[0]) {
      r.problem("encryptionKeys", "no key to seal tokens at rest: generate one with "
          + "'java -jar target/mallgate.jar --generate-key' and set MALLGATE_TOKEN_KEY to it "
          + "(or set tokens.encryption: none to store tokens in clear)");
    }
    return new GatewayConfig.Tokens(r.duration("cacheTtl"), r.duration("refreshBefore"), r.duration("refreshWait"),
        r.duration("lockLease"), r.duration("minRefreshInterval", Duration.ofSeconds(1)), encryption, keys);
  }

  private GatewayConfig.OAuth oauth(ConfigReader r) {
    return new GatewayConfig.OAuth(r.duration("stateTtl"), r.duration("launchMaxAge"), r.duration("exchangeTimeout"),
        r.secret("stateKey", Checks::stateKey));
  }
}
