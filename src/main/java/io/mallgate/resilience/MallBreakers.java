package io.mallgate.resilience;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Live;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import java.time.Clock;
import java.time.Duration;
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
 * refresh path) or 429 (the rate path). A counted status is still Cafe24's answer: it goes back to the caller as it
 * came. While open, calls fail at once with 503 {@code circuit_open} and a {@code Retry-After} of the time left until
 * the next probe, without touching Cafe24; after {@code resetTimeout} one probe goes through (half-open).
 *
 * <p>State is per instance: with N instances a sick mall sees about N probes per reset timeout. That is cheap, and
 * keeps a breaker from depending on Redis. The library counts consecutive failures (a success resets the count)
 * within the rolling {@code failureWindow}. Thread-safe.
 *
 * <p><b>Reload.</b> The section is read per call. The library fixes a breaker's options when it is built, so a
 * mall's breaker is rebuilt from the new section at the mall's next call — if its circuit is closed then (its
 * failure count starts over). An open or probing circuit finishes its episode under the settings it opened with (its
 * reset timer is already running; a sick mall must not get a burst of calls because of an edit) and is rebuilt at
 * the first call after it closed. {@code failureStatuses} applies to the next answer either way.
 */
public final class MallBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(MallBreakers.class);
  private static final Set<ErrorCode> COUNTED = Set.of(ErrorCode.UPSTREAM_UNREACHABLE, ErrorCode.UPSTREAM_TIMEOUT);

  private final Vertx vertx;
  private final Supplier<GatewayConfig.Breaker> config;
  private final Clock clock;
  private final ConcurrentHashMap<String, MallCircuit> circuits = new ConcurrentHashMap<>();

  public MallBreakers(Vertx vertx, GatewayConfig.Breaker config, Clock clock) {
    this(vertx, Live.of(config), clock);
  }

  /** @param config read at each call: a reload may replace it */
  public MallBreakers(Vertx vertx, Supplier<GatewayConfig.Breaker> config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Refuses at once while the mall's circuit is open, before the call waits for a rate slot: a paused mall should
   * neither queue nor spend its budget.
   *
   * @return a succeeded future, or one failed with {@code circuit_open}
   */
  public Future<Void> admit(String mall) {
    MallCircuit circuit = circuits.get(mall);
    return circuit != null && circuit.breaker().state() == CircuitBreakerState.OPEN
        ? Future.failedFuture(circuitOpen(circuit))
        : Future.succeededFuture();
  }

  /**
   * Runs one upstream call through the mall's breaker.
   *
   * @return the call's outcome — Cafe24's response whatever its status, counted or not — or a failure: the call's
   *     own, or {@code circuit_open} when the circuit refuses it
   */
  public Future<HttpClientResponse> call(String mall, Supplier<Future<HttpClientResponse>> upstreamCall) {
    MallCircuit circuit = circuits.computeIfAbsent(mall, this::newCircuit);
    GatewayConfig.Breaker current = config.get();
    if (circuit.settings() != current) {
      renew(mall, circuit, current);
    }
    // The library takes a failed future as the only way to count a failure: a counted status travels as one, and
    // becomes the response again on the way out.
    return circuit.breaker().<HttpClientResponse>execute(() -> upstreamCall.get().compose(response ->
            counts(current, response.statusCode()) ? Future.failedFuture(new CountedAnswer(response))
                : Future.succeededFuture(response)))
        .recover(failure -> {
          if (failure instanceof CountedAnswer counted) {
            return Future.succeededFuture(counted.response);
          }
          return Future.failedFuture(failure instanceof OpenCircuitException ? circuitOpen(circuit) : failure);
        });
  }

  /** The mall's circuit as this instance sees it; a mall that never called is closed with no transitions. */
  public CircuitStatus status(String mall) {
    MallCircuit circuit = circuits.get(mall);
    return circuit == null ? CircuitStatus.NEVER_CALLED : circuit.status();
  }

  /** Every known mall's circuit, by mall. */
  public Map<String, CircuitStatus> statuses() {
    Map<String, CircuitStatus> statuses = new TreeMap<>();
    circuits.forEach((mall, circuit) -> statuses.put(mall, circuit.status()));
    return statuses;
  }

  /** How long each mall whose circuit is not closed has been sick (open or probing), by mall; for alerts. */
  public Map<String, Duration> sickMalls() {
    java.time.Instant now = clock.instant();
    Map<String, Duration> sick = new TreeMap<>();
    circuits.forEach((mall, circuit) -> {
      Duration sickFor = circuit.sickFor(now);
      if (!sickFor.isZero()) {
        sick.put(mall, sickFor);
      }
    });
    return sick;
  }

  private GatewayFailure circuitOpen(MallCircuit circuit) {
    return new GatewayFailure(ErrorCode.CIRCUIT_OPEN, "Cafe24 keeps failing for this mall; calls are paused",
        Map.of("Retry-After", Long.toString(circuit.secondsToProbe())));
  }

  private static boolean counts(GatewayConfig.Breaker settings, int status) {
    return status != 401 && status != 429 && settings.failureStatuses().contains(status);
  }

  /** Rebuilds a closed circuit's breaker from the current section; an open or probing one waits until it closes. */
  private void renew(String mall, MallCircuit circuit, GatewayConfig.Breaker current) {
    synchronized (circuit) {
      if (circuit.settings() == current || circuit.breaker().state() != CircuitBreakerState.CLOSED) {
        return;
      }
      CircuitBreaker previous = circuit.replace(newBreaker(mall, circuit, current), current);
      previous.close(); // its calls in flight still complete; their outcome no longer counts
    }
  }

  private MallCircuit newCircuit(String mall) {
    GatewayConfig.Breaker settings = config.get();
    MallCircuit circuit = new MallCircuit(null, settings);
    circuit.replace(newBreaker(mall, circuit, settings), settings);
    return circuit;
  }

  private CircuitBreaker newBreaker(String mall, MallCircuit circuit, GatewayConfig.Breaker settings) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(settings.failureThreshold())
        .setFailuresRollingWindow(settings.failureWindow().toMillis())
        .setResetTimeout(settings.resetTimeout().toMillis())
        .setTimeout(-1) // the proxy's own timeouts apply
        .setNotificationAddress(null);
    CircuitBreaker breaker = CircuitBreaker.create("mall:" + mall, vertx, options);
    return breaker
        // The library reads anything it does not count as a success, which clears the count and closes a half-open
        // circuit. An outcome that says nothing of Cafe24 (the probe's caller hung up) must not close it: while
        // half-open it counts, so the circuit opens again and the next probe decides.
        .failurePolicy(outcome -> outcome.failed() && (outcome.cause() instanceof CountedAnswer
            || outcome.cause() instanceof GatewayFailure failure && COUNTED.contains(failure.code())
            || outcome.cause() instanceof SaysNothing && breaker.state() == CircuitBreakerState.HALF_OPEN))
        .openHandler(opened -> {
          if (circuit.uses(breaker) && circuit.moved(CircuitBreakerState.OPEN, clock.instant())) {
            LOG.warn("circuit of mall {} opened: Cafe24 calls paused, one probe every {} s", mall,
                settings.resetTimeout().toSeconds());
          }
        })
        .halfOpenHandler(half -> {
          if (circuit.uses(breaker)) {
            circuit.moved(CircuitBreakerState.HALF_OPEN, clock.instant());
          }
        })
        .closeHandler(closed -> {
          if (circuit.uses(breaker)) {
            Duration sick = circuit.sickFor(clock.instant());
            circuit.moved(CircuitBreakerState.CLOSED, clock.instant());
            LOG.info("circuit of mall {} closed after {} s", mall, sick.toSeconds());
          }
        });
  }

  /** A counted answer on its way through the breaker; carries no message and no stack. */
  private static final class CountedAnswer extends RuntimeException {
    private final transient HttpClientResponse response;

    CountedAnswer(HttpClientResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }
}
