package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker per mall (vertx-circuit-breaker), created on a mall's first upstream call. It counts connection
 * failures, timeouts and the configured statuses ({@code breaker.failureStatuses}); never other 4xx, never 401 (the
 * refresh path) or 429 (the rate path). While open, calls fail at once with 503 {@code circuit_open} and a
 * {@code Retry-After}, without touching Cafe24; after {@code resetTimeout} one probe goes through (half-open).
 *
 * <p>State is per instance: with N instances a sick mall sees about N probes per reset timeout. That is cheap, and
 * keeps a breaker from depending on Redis. Thread-safe.
 */
public final class MallBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(MallBreakers.class);
  private static final Set<ErrorCode> COUNTED = Set.of(ErrorCode.UPSTREAM_UNREACHABLE, ErrorCode.UPSTREAM_TIMEOUT);

  private final Vertx vertx;
  private final GatewayConfig.Breaker config;
  private final CircuitBreakerOptions options;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public MallBreakers(Vertx vertx, GatewayConfig.Breaker config) {
    this.vertx = vertx;
    this.config = config;
    this.options = new CircuitBreakerOptions()
        .setMaxFailures(config.failureThreshold())
        .setFailuresRollingWindow(config.failureWindow().toMillis())
        .setResetTimeout(config.resetTimeout().toMillis())
        .setTimeout(-1) // the proxy's own timeouts apply
        .setNotificationAddress(null);
  }

  /**
   * Runs one upstream call through the mall's breaker.
   *
   * @return the call's outcome; fails with {@code circuit_open} when the circuit refuses it
   */
  public Future<HttpClientResponse> call(String mall, Supplier<Future<HttpClientResponse>> upstreamCall) {
    return breaker(mall).<HttpClientResponse>execute(upstreamCall)
        .recover(failure -> Future.failedFuture(failure instanceof OpenCircuitException
            ? new GatewayFailure(ErrorCode.CIRCUIT_OPEN, "Cafe24 keeps failing for this mall; calls are paused",
                Map.of("Retry-After", Long.toString(Math.max(1, config.resetTimeout().toSeconds()))))
            : failure));
  }

  /** Every known mall's circuit state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), by mall. */
  public Map<String, String> states() {
    Map<String, String> states = new TreeMap<>();
    breakers.forEach((mall, breaker) -> states.put(mall, breaker.state().name()));
    return states;
  }

  /** The mall's circuit state, {@code CLOSED} when it never called. */
  public String state(String mall) {
    CircuitBreaker breaker = breakers.get(mall);
    return breaker == null ? "CLOSED" : breaker.state().name();
  }

  private CircuitBreaker breaker(String mall) {
    return breakers.computeIfAbsent(mall, key -> CircuitBreaker.create("mall:" + key, vertx, options)
        .<HttpClientResponse>failurePolicy(this::failed)
        .openHandler(opened -> LOG.warn("circuit of mall {} opened: Cafe24 calls paused for {} s", key,
            config.resetTimeout().toSeconds()))
        .halfOpenHandler(half -> LOG.info("circuit of mall {} half-open: one probe goes through", key))
        .closeHandler(closed -> LOG.info("circuit of mall {} closed", key)));
  }

  private boolean failed(Future<HttpClientResponse> outcome) {
    if (outcome.failed()) {
      return outcome.cause() instanceof GatewayFailure failure && COUNTED.contains(failure.code());
    }
    int status = outcome.result().statusCode();
    return status != 401 && status != 429 && config.failureStatuses().contains(status);
  }
}
