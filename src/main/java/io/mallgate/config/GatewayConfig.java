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
    OAuth oauth,
    RateLimit rateLimit,
    Breaker breaker,
    Retry retry,
    Webhook webhook,
    Metrics metrics,
    KeepAlive keepalive,
    Alerts alerts,
    Tracing tracing,
    AccessLog accessLog) {

  /** A copy with another {@code cafe24} section (the sandbox points the gateway at its simulator). */
  public GatewayConfig withCafe24(Cafe24 other) {
    return new GatewayConfig(server, redis, other, admin, malls, store, proxy, tokens, oauth, rateLimit, breaker,
        retry, webhook, metrics, keepalive, alerts, tracing, accessLog);
  }

  /** A copy with another {@code store} section. */
  public GatewayConfig withStore(Store other) {
    return new GatewayConfig(server, redis, cafe24, admin, malls, other, proxy, tokens, oauth, rateLimit, breaker,
        retry, webhook, metrics, keepalive, alerts, tracing, accessLog);
  }

  /**
   * {@code server.*}: where the gateway listens.
   *
   * @param idleTimeout   a caller's connection that sends or receives nothing this long is closed
   * @param maxHeaderSize largest request head (request line and headers) in bytes; larger gets 431
   * @param shutdownGrace on SIGTERM, how long in-flight requests may take to finish
   * @param eventLoops    event loops that serve callers, each with its own server on the port and its own
   *                      upstream pool ({@code 0} in the file: one per CPU core, resolved when the file is read)
   * @param nativeTransport use Netty's epoll transport where the platform has it (else Java NIO)
   * @param publicPort      a second port that serves only what the internet must reach (install, callback,
   *                        webhooks, liveness); {@code 0}: none
   * @param publicHost      the address of the public port (the file's empty default: {@code host})
   */
  public record Server(String host, int port, Duration idleTimeout, int maxHeaderSize, Duration shutdownGrace,
      int eventLoops, boolean nativeTransport, int publicPort, String publicHost) {

    /** Whether the public listener is on. */
    public boolean publicListener() {
      return publicPort > 0;
    }
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

  /**
   * {@code cafe24.*}: the app's identity at Cafe24 and where Cafe24 is.
   *
   * @param clientId    the app's client id; also sent as {@code X-Cafe24-Client-Id} on every Front API call
   * @param frontApiKey the app's Front API key; when set, a Front API call without a customer's bearer carries
   *                    {@code Authorization: Basic base64(clientId:frontApiKey)}. Empty for none
   */
  public record Cafe24(BaseUrl baseUrl, boolean allowInsecure, Secret clientId, Secret clientSecret,
      String redirectUri, List<String> scopes, String apiVersion, Secret frontApiKey) {
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
   * @param poolSize       pooled HTTP/1.1 connections to the upstream, per event loop and per upstream host (per mall
   *                       with Cafe24's {mall}.cafe24api.com)
   * @param poolWaitQueue  requests that may wait for a pooled connection (-1: unbounded), per pool as above
   * @param replayBufferSize largest request body kept in memory so the request can be replayed after a 401
   * @param totalTimeout   deadline for a whole proxied request, retries and waits included
   * @param maxConcurrentPerMall upstream calls in flight per mall on one instance; more get 503 overloaded
   * @param maxConcurrent  upstream calls in flight on one instance, all malls together
   * @param methods        the methods forwarded to Cafe24; any other gets 405 before a token is read
   * @param bodyTimeout    deadline for a caller's buffered body (all of it, or its first replayBufferSize bytes),
   *                       read before the call takes a place; and the longest a streamed body may fall silent
   * @param coalesce       whether concurrent identical GETs of a mall share one call to Cafe24
   * @param coalesceMaxBody largest answer, in bytes, kept in memory for the GETs that share a call; a larger one is
   *                       streamed to the first caller only, and the others make their own calls
   * @param requireApp     a call without {@code X-Mallgate-App} is refused (400 {@code app_required})
   */
  public record Proxy(long maxBodySize, Duration connectTimeout, Duration idleTimeout, Duration requestTimeout,
      int poolSize, int poolWaitQueue, long replayBufferSize, Duration totalTimeout, int maxConcurrentPerMall,
      int maxConcurrent, Set<String> methods, Duration bodyTimeout, boolean coalesce, long coalesceMaxBody,
      boolean requireApp) {
  }

  /**
   * {@code tokens.*}: caching, refresh timing and encryption at rest.
   *
   * @param cacheTtl       how long a token read from the store is served from process memory (a backstop: changes
   *                       are also announced to every instance)
   * @param refreshBefore  refresh when less than this is left before the access token's {@code expires_at}
   * @param refreshWait    how long a request may wait for a refresh when its token is no longer usable
   * @param lockLease      lease of the per-mall refresh lock; longer than two token-endpoint deadlines
   * @param minRefreshInterval at most one refresh driven by Cafe24's 401s per mall (and instance) this often
   * @param encryption     {@code aes-gcm} (tokens sealed at rest) or {@code none}
   * @param encryptionKeys {@code <id>:<base64 of 32 bytes>} keys, the first one primary; the others only open
   */
  public record Tokens(Duration cacheTtl, Duration refreshBefore, Duration refreshWait, Duration lockLease,
      Duration minRefreshInterval, String encryption, List<Secret> encryptionKeys) {
    public boolean encrypted() {
      return !"none".equals(encryption);
    }
  }

  /**
   * {@code rateLimit.*}: Cafe24's per-mall leaky bucket, shared by every instance.
   *
   * @param enabled   off only for benchmarks or an upstream without limits
   * @param capacity  calls the bucket holds (Cafe24: 40 for most endpoints)
   * @param perSecond calls the bucket drains per second (Cafe24: 2)
   * @param maxWait   longest a request waits in the gateway for a slot before its own 429
   * @param maxQueue  requests that may wait per mall on one instance
   * @param maxPerSecond    calls of one mall that reach Cafe24 in any one second, all instances together (Cafe24 may
   *                        judge 10 or more a second abnormal): a full bucket goes as a paced stream, not a spike; at
   *                        least {@code perSecond}
   * @param egressPerSecond calls of the whole deployment (every mall, every instance) in any one second; 0: no cap
   */
  public record RateLimit(boolean enabled, int capacity, double perSecond, Duration maxWait, int maxQueue,
      int maxPerSecond, int egressPerSecond) {
  }

  /**
   * {@code breaker.*}: a circuit breaker per mall (state kept per instance).
   *
   * @param failureThreshold failures within {@code failureWindow} that open the circuit
   * @param failureWindow    the rolling window failures are counted in
   * @param resetTimeout     how long an open circuit refuses calls before letting a probe through
   * @param failureStatuses  upstream statuses that count as failures (never 401 or 429, whatever is listed)
   */
  public record Breaker(int failureThreshold, Duration failureWindow, Duration resetTimeout,
      Set<Integer> failureStatuses) {
  }

  /**
   * {@code retry.*}: which failed calls are sent again.
   *
   * @param methods    idempotent methods that may be retried
   * @param maxRetries retries at most, per request
   * @param backoff    base of the jittered exponential backoff
   */
  public record Retry(Set<String> methods, int maxRetries, Duration backoff) {
  }

  /**
   * {@code metrics.*}: the Prometheus endpoint.
   *
   * @param enabled   serve {@code GET /metrics} (no token: scrapers reach it inside the network, and it holds no
   *                  secret); false answers 404 there
   * @param mallLabel give {@code mallgate_requests_total} a {@code mall} label (the malls of {@code malls.allow},
   *                  which it requires; {@code other} for the rest)
   * @param maxApps   app names ({@code X-Mallgate-App}) that get a label value of their own, the first ones seen by
   *                  the process; and apps shown per mall in the admin API's usage view. The rest are {@code other}
   */
  public record Metrics(boolean enabled, boolean mallLabel, int maxApps) {
  }

  /**
   * {@code accessLog.*}: one line per request.
   *
   * @param output        {@code stdout} (the gateway's batched writer), {@code logger} (logback's
   *                      {@code mallgate.access} logger, line by line) or {@code off}
   * @param format        {@code plain} (logback's pattern) or {@code json} (its {@code JsonEncoder}'s objects), on stdout
   * @param flushInterval how long a line may wait in memory before the batched writer writes it
   */
  public record AccessLog(String output, String format, Duration flushInterval) {

    /** The JSON lines were asked for. */
    public boolean json() {
      return "json".equals(format);
    }
  }

  /**
   * {@code tracing.*}: traces over OpenTelemetry (OTLP over HTTP), off unless {@code otlpEndpoint} is set.
   *
   * @param otlpEndpoint the whole OTLP/HTTP traces URL spans are POSTed to (e.g.
   *                     {@code http://collector:4318/v1/traces}); empty: off. A secret: a URL may carry a credential
   * @param sampleRatio  share of new traces recorded, 0..1 ({@code TraceIdRatioBased}); a caller's traceparent decides
   *                     for its own requests
   * @param serviceName  {@code service.name} of the spans
   */
  public record Tracing(Secret otlpEndpoint, double sampleRatio, String serviceName) {
    public boolean enabled() {
      return !otlpEndpoint.isEmpty();
    }
  }

  /**
   * {@code keepalive.*}: the scheduler that refreshes idle malls before their refresh token lapses (Cafe24: 14 days
   * after the last refresh). One instance of a cluster scans at a time (leadership through Redis).
   *
   * @param enabled         scan and refresh at all
   * @param refreshWhenLeft a mall whose refresh token has less than this left is refreshed (less than 14 days)
   * @param interval        time between two scans of every mall, on the leading instance
   * @param jitter          each refresh waits a random pause up to this long first, so refreshes spread out
   * @param maxConcurrent   keep-alive refreshes in flight at once
   * @param leaderLease     lease of the leadership lock; another instance takes over this long after a leader dies
   */
  public record KeepAlive(boolean enabled, Duration refreshWhenLeft, Duration interval, Duration jitter,
      int maxConcurrent, Duration leaderLease) {
  }

  /**
   * {@code alerts.*}: what operators are told, where, and how often at most.
   *
   * @param window                 one alert per mall per condition within this long, across every instance
   * @param refreshTokenThresholds alert when a keep-alive refresh fails with less than one of these left, largest first
   * @param circuitOpenFor         alert when a mall's circuit has stayed open (or probing) this long
   * @param webhookFailures        alert when this many webhooks failed verification within a window, on one instance
   * @param checkInterval          how often circuits and webhook failures are checked
   * @param sinks                  where alerts go
   * @param delivery               how the HTTP sinks are called
   */
  public record Alerts(Duration window, List<Duration> refreshTokenThresholds, Duration circuitOpenFor,
      WebhookFailures webhookFailures, Duration checkInterval, AlertSinks sinks, AlertDelivery delivery) {
  }

  /** {@code alerts.webhookFailures.*}: {@code count} failed verifications within {@code window}. */
  public record WebhookFailures(int count, Duration window) {
  }

  /**
   * {@code alerts.sinks.*}. The URLs are secrets (a Slack incoming-webhook URL is a credential); empty means off.
   *
   * @param log        a WARN line on the {@code mallgate.alerts} logger
   * @param webhookUrl a generic JSON webhook ({@code sinks.webhook.url})
   * @param slackUrl   a Slack incoming webhook ({@code sinks.slack.url})
   */
  public record AlertSinks(boolean log, Secret webhookUrl, Secret slackUrl) {
  }

  /**
   * {@code alerts.delivery.*}: each HTTP sink has its own bounded queue and one delivery in flight.
   *
   * @param timeout   deadline of one POST
   * @param attempts  tries per alert before it is dropped (logged)
   * @param backoff   pause before the second try, doubled for each further one
   * @param queueSize alerts waiting per sink; a new alert beyond it is dropped (logged)
   */
  public record AlertDelivery(Duration timeout, int attempts, Duration backoff, int queueSize) {
  }

  /**
   * {@code oauth.*}.
   *
   * @param stateTtl     life of an install {@code state}
   * @param launchMaxAge largest accepted age (and clock skew) of an app-launch {@code timestamp}
   * @param exchangeTimeout deadline for a token-endpoint call
   */
  public record OAuth(Duration stateTtl, Duration launchMaxAge, Duration exchangeTimeout, Secret stateKey) {
  }

  /**
   * {@code webhook.*}: how Cafe24's webhooks are received, verified, de-duplicated and recorded.
   *
   * @param maxBodySize     largest webhook body in bytes (413 beyond, before any hashing)
   * @param bodyTimeout     deadline for the whole body to arrive once the request head is in
   * @param dedupWindow     a copy of an accepted body within this long is acknowledged but not recorded again
   * @param stream          the Redis Stream events are appended to
   * @param streamMaxLength the stream and the dead-letter stream are trimmed to about this many entries
   *                        ({@code MAXLEN ~}); embedded, the log file is compacted to it (keeping what a subscriber
   *                        or the de-duplication window still needs) and at most this many dead letters are kept
   * @param route           the verification of {@code POST /webhook}
   * @param routes          named verifications, each served at {@code POST /webhook/{name}}
   * @param subscribers     HTTP fan-out: each recorded event is forwarded to every subscriber whose filter takes it
   * @param delivery        how the fan-out retries
   */
  public record Webhook(long maxBodySize, Duration bodyTimeout, Duration dedupWindow, String stream,
      int streamMaxLength, WebhookRoute route, java.util.Map<String, WebhookRoute> routes,
      java.util.Map<String, WebhookSubscriber> subscribers, WebhookDelivery delivery) {
  }

  /**
   * {@code webhook.subscribers.<name>}: an internal HTTP consumer the gateway forwards events to.
   *
   * @param name     1-63 lowercase letters, digits, '_' or '-'; names its consumer group
   *                 ({@code mallgate-fanout:<name>})
   * @param url      http or https URL the raw body is POSTed to
   * @param events   event numbers forwarded ({@code event_no} as text); empty: all
   * @param secret   key of the HMAC-SHA256 signature over the forwarded bytes; empty: unsigned
   * @param header   the header carrying that signature
   * @param encoding {@code base64} or {@code hex}
   * @param timeout  deadline for one attempt, connection included
   */
  public record WebhookSubscriber(String name, String url, Set<String> events, Secret secret, String header,
      String encoding, Duration timeout) {

    /** Whether an event with this {@code event_no} goes to this subscriber. */
    public boolean wants(String eventNo) {
      return events.isEmpty() || events.contains(eventNo);
    }
  }

  /**
   * {@code webhook.delivery.*}: retries of the fan-out, shared by every subscriber.
   *
   * @param maxAttempts  attempts per event and subscriber before it goes to the dead letters
   * @param backoff      wait before the second attempt; doubled after each failure, with jitter
   * @param maxBackoff   the wait never grows beyond this
   * @param pollInterval how often an idle instance looks for new and due events
   * @param batchSize    events read from the stream at once, per subscriber
   */
  public record WebhookDelivery(int maxAttempts, Duration backoff, Duration maxBackoff, Duration pollInterval,
      int batchSize) {
  }

  /**
   * One webhook verification.
   *
   * @param schemes  {@code hmac} and/or {@code api-key}; every listed scheme must pass
   * @param header   the header carrying the HMAC-SHA256 signature
   * @param encoding {@code base64} or {@code hex}: how the signature is written
   * @param secrets  HMAC keys, any of which may have signed (rotation); the client secret when none is configured
   * @param apiKeys  values {@code X-API-Key} may carry (rotation); empty only for {@code POST /webhook}, which then
   *                 answers 503 {@code webhook_not_configured}
   */
  public record WebhookRoute(List<String> schemes, String header, String encoding, List<Secret> secrets,
      List<Secret> apiKeys) {

    /** Whether every listed scheme has at least one secret or key to check against, so a delivery can pass. */
    public boolean verifiable() {
      return !schemes.isEmpty() && (!schemes.contains("hmac") || !secrets.isEmpty())
          && (!schemes.contains("api-key") || !apiKeys.isEmpty());
    }
  }
}
