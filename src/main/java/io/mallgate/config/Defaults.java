package io.mallgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every key with its built-in default, written exactly as {@code conf/gateway.yaml} writes it (the same
 * {@code ${...}} references) and resolved the same way, so a key left out of the file behaves as in the shipped
 * file. This is also the list of known keys: a key not here is reported as unknown. A test keeps the two in sync.
 */
final class Defaults {

  private static final String YAML = """
      server:
        host: 0.0.0.0
        port: 8080
        idleTimeout: 60s
        maxHeaderSize: 16KiB
        shutdownGrace: 30s
        eventLoops: 0
        nativeTransport: true
        publicPort: "${MALLGATE_PUBLIC_PORT:-0}"
        publicHost: ""
      redis:
        url: "${REDIS_URL:-}"
        type: standalone
        endpoints: []
        masterName: mymaster
        commandTimeout: 2s
        poolSize: 16
      cafe24:
        baseUrl: "https://{mall}.cafe24api.com"
        allowInsecure: false
        clientId: "${CAFE24_CLIENT_ID}"
        clientSecret: "${CAFE24_CLIENT_SECRET}"
        redirectUri: "${CAFE24_REDIRECT_URI:-http://localhost:8080/oauth/callback}"
        scopes: [mall.read_product, mall.read_store]
        apiVersion: ""
        frontApiKey: "${CAFE24_FRONT_API_KEY:-}"
      admin:
        token: "${MALLGATE_ADMIN_TOKEN:-}"
      malls:
        allow: []
      store:
        file: data/mallgate.db
      proxy:
        maxBodySize: 10MiB
        connectTimeout: 5s
        idleTimeout: 30s
        requestTimeout: 30s
        poolSize: 64
        poolWaitQueue: 1024
        replayBufferSize: 1MiB
        totalTimeout: 60s
        maxConcurrentPerMall: 32
        maxConcurrent: 1024
        methods: [GET, HEAD, POST, PUT, PATCH, DELETE]
        bodyTimeout: 10s
        coalesce: true
        coalesceMaxBody: 1MiB
        requireApp: false
      tokens:
        cacheTtl: 30s
        refreshBefore: 5m
        refreshWait: 10s
        lockLease: 30s
        minRefreshInterval: 30s
        encryption: aes-gcm
        encryptionKeys: ["${MALLGATE_TOKEN_KEY:-}"]
      oauth:
        stateTtl: 10m
        launchMaxAge: 5m
        exchangeTimeout: 10s
        stateKey: "${MALLGATE_STATE_KEY:-}"
      rateLimit:
        enabled: true
        capacity: 40
        perSecond: 2
        maxWait: 10s
        maxQueue: 200
        maxPerSecond: 9
        egressPerSecond: 0
      breaker:
        failureThreshold: 5
        failureWindow: 30s
        resetTimeout: 30s
        failureStatuses: [500, 502, 503, 504]
      retry:
        methods: [GET, HEAD, OPTIONS]
        maxRetries: 2
        backoff: 200ms
      webhook:
        maxBodySize: 1MiB
        bodyTimeout: 10s
        dedupWindow: 24h
        stream: "mallgate:webhooks"
        streamMaxLength: 1000000
        schemes: [api-key]
        header: X-Cafe24-Hmac-Sha256
        encoding: base64
        secrets: []
        apiKeys: ["${CAFE24_WEBHOOK_API_KEY:-}"]
        routes: {}
        subscribers: {}
        delivery:
          maxAttempts: 8
          backoff: 1s
          maxBackoff: 5m
          pollInterval: 500ms
          batchSize: 16
      metrics:
        enabled: true
        mallLabel: false
        maxApps: 100
      keepalive:
        enabled: true
        refreshWhenLeft: 7d
        interval: 1h
        jitter: 30s
        maxConcurrent: 4
        leaderLease: 30s
      alerts:
        window: 6h
        refreshTokenThresholds: [3d, 1d]
        circuitOpenFor: 10m
        webhookFailures:
          count: 20
          window: 10m
        checkInterval: 30s
        sinks:
          log: true
          webhook:
            url: "${MALLGATE_ALERT_WEBHOOK_URL:-}"
          slack:
            url: "${MALLGATE_SLACK_WEBHOOK_URL:-}"
        delivery:
          timeout: 5s
          attempts: 5
          backoff: 2s
          queueSize: 1000
      tracing:
        otlpEndpoint: "${MALLGATE_OTLP_ENDPOINT:-}"
        sampleRatio: 1.0
        serviceName: mallgate
      """;

  private static final Map<String, Map<String, Object>> SECTIONS = parse();

  private Defaults() {
  }

  /** Section names, in file order. */
  static Set<String> sections() {
    return SECTIONS.keySet();
  }

  /** A section's keys with their unresolved defaults (strings, or lists of strings), in file order. */
  static Map<String, Object> section(String name) {
    return SECTIONS.get(name);
  }

  private static Map<String, Map<String, Object>> parse() {
    Object tree;
    try {
      tree = YamlTree.parse(YAML, "built-in defaults");
    } catch (ConfigException e) {
      throw new IllegalStateException("built-in defaults are not valid YAML: " + e.getMessage(), e);
    }
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    ((Map<?, ?>) tree).forEach((name, keys) -> {
      Map<String, Object> section = new LinkedHashMap<>();
      ((Map<?, ?>) keys).forEach((key, value) -> section.put((String) key,
          value instanceof List<?> list ? List.copyOf(list) : value));
      sections.put((String) name, Collections.unmodifiableMap(section));
    });
    return Collections.unmodifiableMap(sections);
  }
}
