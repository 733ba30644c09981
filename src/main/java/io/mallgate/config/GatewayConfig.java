package io.mallgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The whole validated configuration, one record per section of {@code conf/gateway.yaml}. Built once by
 * {@link ConfigLoader}; immutable. Key names in the YAML are public contract: see the commented
 * {@code conf/gateway.yaml}.
 */
public record GatewayConfig(
    Server server,
    Redis redis,
    Cafe24 cafe24,
    Admin admin,
    Malls malls,
    Store store,
    Proxy proxy,
    Tokens tokens,
    OAuth oauth) {

  /**
   * {@code server.*}: where the gateway listens.
   *
   * @param idleTimeout a caller's connection that sends or receives nothing this long is closed
   */
  public record Server(String host, int port, Duration idleTimeout) {
  }

  /**
   * {@code redis.*}. An empty {@code url} means no Redis: the embedded store serves one instance only.
   *
   * @param type           standalone, sentinel or cluster
   * @param url            the first endpoint ({@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS)
   * @param endpoints      further endpoints (Sentinel or Cluster seeds)
   * @param masterName     Sentinel master name
   * @param commandTimeout deadline for every Redis command
   * @param poolSize       connections in the client's pool
   */
  public record Redis(String type, Secret url, List<Secret> endpoints, String masterName, Duration commandTimeout,
      int poolSize) {
    public boolean enabled() {
      return !url.isEmpty();
    }
  }

  /** {@code cafe24.*}: the app's identity at Cafe24 and where Cafe24 is. */
  public record Cafe24(BaseUrl baseUrl, boolean allowInsecure, Secret clientId, Secret clientSecret,
      String redirectUri, List<String> scopes, String apiVersion) {
  }

  /** {@code admin.*}. An empty token turns the admin API off. */
  public record Admin(Secret token) {
    public boolean enabled() {
      return !token.isEmpty();
    }
  }

  /** {@code malls.*}. An empty allow-list admits any valid mall id. */
  public record Malls(Set<String> allow) {
    public boolean admits(String mall) {
      return allow.isEmpty() || allow.contains(mall);
    }
  }

  /** {@code store.*}: the embedded store's file, used when no Redis is configured. */
  public record Store(Path file) {
  }

  /**
   * {@code proxy.*}: the upstream client and request bounds.
   *
   * @param maxBodySize    largest request body in bytes accepted from a caller (413 beyond)
   * @param connectTimeout deadline to obtain a connection to Cafe24
   * @param idleTimeout    longest silence on an upstream request or response before it fails
   * @param requestTimeout deadline for the response headers from Cafe24
   * @param poolSize       pooled HTTP/1.1 connections to the upstream, per event loop
   * @param poolWaitQueue  requests that may wait for a pooled connection (-1: unbounded)
   * @param replayBufferSize largest request body kept in memory so the request can be replayed after a 401
   */
  public record Proxy(long maxBodySize, Duration connectTimeout, Duration idleTimeout, Duration requestTimeout,
      int poolSize, int poolWaitQueue, long replayBufferSize) {
  }

  /**
   * {@code tokens.*}: caching, refresh timing and encryption at rest.
   *
   * @param cacheTtl       how long a token read from the store is served from process memory (a backstop: changes
   *                       are also announced to every instance)
   * @param refreshBefore  refresh when less than this is left before the access token's {@code expires_at}
   * @param refreshWait    how long a request may wait for a refresh when its token is no longer usable
   * @param lockLease      lease of the per-mall refresh lock; longer than two token-endpoint deadlines
   * @param encryption     {@code aes-gcm} (tokens sealed at rest) or {@code none}
   * @param encryptionKeys {@code <id>:<base64 of 32 bytes>} keys, the first one primary; the others only open
   */
  public record Tokens(Duration cacheTtl, Duration refreshBefore, Duration refreshWait, Duration lockLease,
      String encryption, List<Secret> encryptionKeys) {
    public boolean encrypted() {
      return !"none".equals(encryption);
    }
  }

  /**
   * {@code oauth.*}.
   *
   * @param stateTtl     life of an install {@code state}
   * @param launchMaxAge largest accepted age (and clock skew) of an app-launch {@code timestamp}
   * @param exchangeTimeout deadline for a token-endpoint call
   */
  public record OAuth(Duration stateTtl, Duration launchMaxAge, Duration exchangeTimeout) {
  }
}
