package io.mallgate.metrics;

import io.mallgate.edge.AppNames;
import io.mallgate.edge.RequestEnd;
import io.mallgate.edge.RequestFacts;
import io.mallgate.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts every request the router sees, once, when its response ends (or its connection breaks):
 * <ul>
 *   <li>{@code mallgate_requests_total{status_class="1xx|…|5xx|none", gateway_code="none|<code>", app}}:
 *       {@code gateway_code} is the {@code X-Mallgate-Error} the gateway answered with, {@code none} for a response
 *       from Cafe24 or a route that succeeded; {@code status_class="none"} is a caller that left before any
 *       answer;</li>
 *   <li>{@code mallgate_request_duration_seconds{status_class=…}}: time from routing to the response's end, as a
 *       Prometheus histogram with the fixed {@link #BUCKETS} (5 ms to 60 s, 13 bounds and {@code +Inf});</li>
 *   <li>{@code mallgate_upstream_duration_seconds}: for a request Cafe24 answered, time from its upstream request's
 *       start to the response head (same buckets);</li>
 *   <li>{@code mallgate_rate_wait_seconds}: for a request that asked the rate limiter, time it waited for its slots
 *       (the gateway's own 429s are {@code mallgate_requests_total{gateway_code="rate_limited"}});</li>
 *   <li>{@code mallgate_cafe24_throttled_total{app}}: requests answered with Cafe24's own 429, passed through to the
 *       caller (a 429 the gateway retried away is not counted): the status class alone cannot tell it from a 404;</li>
 *   <li>{@code mallgate_cafe24_calls_total{app}}: tries sent to Cafe24 (retries and replays after a refresh
 *       included), each of which spends the mall's call budget.</li>
 * </ul>
 * Every meter counted per request carries an {@code app} label: the caller's {@code X-Mallgate-App} as the proxy
 * checked it, bounded by {@code metrics.maxApps} ({@link AppLabels}: the first names seen, then {@code other}),
 * {@code -} for a call without the header and for any request that is no proxied call.
 * With {@code metrics.mallLabel}, {@code mallgate_requests_total} also has a {@code mall} label: the mall's id when
 * it is in {@code malls.allow}, {@code other} for any other mall, {@code none} for a request for no mall.
 * Every label takes its values from a closed set (a status outside 100..599 is {@code other}, an unknown code too), so
 * nothing a caller or Cafe24 sends can grow the number of series. The edge ({@code EdgeGuard}) tells it of every
 * request once it is over ({@link RequestEnd}), from the start time the edge took.
 */
final class RequestMeters implements MeterBinder, RequestEnd {

  /** Histogram bucket bounds, up to {@code proxy.totalTimeout}'s default; slower requests land in {@code +Inf}. */
  static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
      60_000).map(Duration::ofMillis).toArray(Duration[]::new);
  private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::code)
      .collect(Collectors.toUnmodifiableSet());

  private final ConcurrentHashMap<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  /** Whether requests carry a mall label at all (fixed: a meter's label names cannot change). */
  private final boolean mallLabel;
  private final AppLabels apps;
  private final ConcurrentHashMap<String, Counter> cafe24Calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> cafe24Throttled = new ConcurrentHashMap<>();
  /** The malls that get a label of their own: {@code malls.allow}, read per request so a reload applies. */
  private volatile Supplier<Set<String>> labelled = Set::of;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private MeterRegistry registry;
  private Timer upstreamTimer;
  private Timer rateWaitTimer;

  /**
   * @param mallLabel whether {@code mallgate_requests_total} has a {@code mall} label
   * @param maxApps   app names with a label value of their own ({@code metrics.maxApps})
   */
  RequestMeters(boolean mallLabel, int maxApps) {
    this.mallLabel = mallLabel;
    this.apps = new AppLabels(maxApps);
  }

  /** Where the labelled malls come from (the live {@code malls.allow}). */
  void labelMallsFrom(Supplier<Set<String>> malls) {
    this.labelled = malls;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    this.upstreamTimer = Timer.builder("mallgate.upstream.duration")
        .description("Time from an upstream request's start to Cafe24's response head")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
    this.rateWaitTimer = Timer.builder("mallgate.rate.wait")
        .description("Time a request waited for the rate limiter's slots")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
    // Present from the start (alerting rules read them), at 0 until a call counts.
    cafe24Throttled(AppNames.NONE);
    cafe24Calls(AppNames.NONE);
  }

  @Override
  public void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome) {
    HttpServerResponse response = ctx.response();
    // A caller that left before any answer got no status: Vert.x would still report its default, 200.
    String statusClass = outcome.failed() && !response.headWritten() ? "none" : statusClass(response.getStatusCode());
    String app = apps.of(facts.app());
    record(statusClass, facts.gatewayCode(), mallLabel(facts), app,
        System.nanoTime() - facts.startNanos());
    int sent = facts.cafe24Calls();
    if (sent > 0) {
      cafe24Calls(app).increment(sent);
    }
    if (facts.hasUpstreamNanos()) {
      upstreamTimer.record(facts.upstreamNanos(), TimeUnit.NANOSECONDS);
      // Cafe24 answered and the gateway added no code of its own: the 429 is Cafe24's.
      if (response.getStatusCode() == 429 && facts.gatewayCode() == null) {
        cafe24Throttled(app).increment();
      }
    }
    if (facts.hasRateWait()) {
      rateWaitTimer.record(facts.rateWaitNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private String mallLabel(RequestFacts facts) {
    if (!mallLabel) {
      return null;
    }
    String mall = facts.mall();
    return mall == null || "-".equals(mall) ? "none" : labelled.get().contains(mall) ? mall : "other";
  }

  private Counter cafe24Calls(String app) {
    return cafe24Calls.computeIfAbsent(app, key -> Counter.builder("mallgate.cafe24.calls")
        .description("Tries sent to Cafe24, retries and replays included: each spends the mall's call budget")
        .tag("app", app)
        .register(registry));
  }

  private Counter cafe24Throttled(String app) {
    return cafe24Throttled.computeIfAbsent(app, key -> Counter.builder("mallgate.cafe24.throttled")
        .description("Requests answered with Cafe24's own 429 (passed through to the caller)")
        .tag("app", app)
        .register(registry));
  }

  private void record(String statusClass, String errorHeader, String mall, String app, long nanos) {
    String code = gatewayCode(errorHeader);
    CounterKey key = new CounterKey(statusClass, code, mall, app);
    Counter counter = counters.get(key);
    if (counter == null) {
      counter = counters.computeIfAbsent(key, absent -> {
        Counter.Builder builder = Counter.builder("mallgate.requests")
            .description("Requests answered, by status class, the gateway's error code and the calling app")
            .tag("status_class", statusClass)
            .tag("gateway_code", code)
            .tag("app", app);
        return (mall == null ? builder : builder.tag("mall", mall)).register(registry);
      });
    }
    counter.increment();
    timers.computeIfAbsent(statusClass, absent -> Timer.builder("mallgate.request.duration")
            .description("Time from routing a request to the end of its response")
            .tag("status_class", statusClass)
            // Fixed buckets, not Micrometer's percentile-histogram preset: that one has 74 buckets between 1 ms and
            // 60 s, per status class; these 13 still let histogram_quantile() answer p50/p99 to within a bucket.
            .serviceLevelObjectives(BUCKETS)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A counter's labels as a map key: the parts' own (cached) hashes, where a joined string would be built and hashed
   * anew for every request. {@code mall} is null when the mall label is off.
   */
  private record CounterKey(String statusClass, String code, String mall, String app) {
  }

  /** The label values of 1xx..5xx, made once: a label built per request would be a new string to hash each time. */
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100 - 1] : "other";
  }

  static String gatewayCode(String header) {
    if (header == null) {
      return "none";
    }
    return CODES.contains(header) ? header : "other";
  }
}
