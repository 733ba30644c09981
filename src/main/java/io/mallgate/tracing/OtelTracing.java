package io.mallgate.tracing;

import io.mallgate.config.ConfigWarnings;
import io.mallgate.config.GatewayConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracing on: one {@link SdkTracerProvider} of the gateway's own (never the global one), sampling parent-based by
 * trace-id ratio ({@code tracing.sampleRatio}), its spans exported over OTLP/HTTP (protobuf) by a
 * {@link BatchSpanProcessor}: ended spans wait in a bounded queue (2048; more are dropped, never waited for) and a
 * background thread sends them every {@link #SCHEDULE_DELAY} or when 512 are ready. Exports never run on an event
 * loop, and {@link #flush} and {@link #close} wait for the SDK without blocking one.
 */
final class OtelTracing implements Tracing {

  private static final Logger LOG = LoggerFactory.getLogger(OtelTracing.class);
  static final Duration SCHEDULE_DELAY = Duration.ofSeconds(5);
  /**
   * The longest one export may take, and {@link #close} waits for the last one: a stop is delayed by no more than this
   * when the collector does not answer (the exporter would retry for longer).
   */
  private static final long CLOSE_SECONDS = 5;
  /** A path or an id is short; a longer value is cut rather than sent whole. */
  private static final int MAX_VALUE_LENGTH = 256;

  private final Vertx vertx;
  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final ServerSpans serverSpans;

  private OtelTracing(Vertx vertx, SdkTracerProvider provider) {
    this.vertx = vertx;
    this.provider = provider;
    this.tracer = provider.get("io.mallgate");
    this.serverSpans = new ServerSpans(tracer);
  }

  static OtelTracing create(Vertx vertx, GatewayConfig.Tracing config) {
    return create(vertx, config, SCHEDULE_DELAY);
  }

  /** As {@link #create(Vertx, GatewayConfig.Tracing)}, exporting every {@code scheduleDelay} (tests: less). */
  static OtelTracing create(Vertx vertx, GatewayConfig.Tracing config, Duration scheduleDelay) {
    SdkLogs.install();
    String endpoint = config.otlpEndpoint().reveal();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(endpoint)
        .setTimeout(Duration.ofSeconds(CLOSE_SECONDS))
        .setMeterProvider(MeterProvider::noop)
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName()))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .setSpanLimits(SpanLimits.builder().setMaxAttributeValueLength(MAX_VALUE_LENGTH).build())
        .setMeterProvider(MeterProvider::noop)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(scheduleDelay)
            .setMeterProvider(MeterProvider::noop)
            .build())
        .build();
    LOG.info("Tracing on: spans go to {} over OTLP/HTTP (sample ratio {}, service.name {})", printable(endpoint),
        config.sampleRatio(), config.serviceName());
    String warning = ConfigWarnings.tracingWarning(config);
    if (warning != null) {
      LOG.warn(warning);
    }
    OtelTracing tracing = new OtelTracing(vertx, provider);
    tracing.warmUp();
    return tracing;
  }

  /**
   * Loads, here on the worker that builds tracing, the classes a first request would otherwise load on its event loop:
   * the propagator's, a span's and its attributes'. The span is never ended, so it is never exported.
   */
  private void warmUp() {
    ServerSpans.warmUp(tracer);
  }

  /** The endpoint as logs may show it: scheme, host, port and path; never a user part or a query. */
  static String printable(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (java.net.URISyntaxException e) {
      return "(an invalid URL)";
    }
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void mount(Router router) {
    router.route().handler(serverSpans);
  }

  @Override
  public Span serverSpan(RoutingContext ctx) {
    return ServerSpans.of(ctx);
  }

  @Override
  public Span root(String name, Span.Kind kind) {
    return OtelSpan.of(tracer, tracer.spanBuilder(name).setNoParent().setSpanKind(OtelSpan.kind(kind)).startSpan());
  }

  @Override
  public Future<Void> flush() {
    return completion(provider.forceFlush());
  }

  @Override
  public Future<Void> close() {
    return completion(provider.shutdown());
  }

  /**
   * The SDK's result as a Future completed on the caller's context, within {@link #CLOSE_SECONDS}; never failed. The
   * SDK completes it on its own thread: nothing here waits for it.
   */
  private Future<Void> completion(CompletableResultCode result) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    result.whenComplete(() -> context.runOnContext(v -> done.tryComplete()));
    return done.future().timeout(CLOSE_SECONDS, TimeUnit.SECONDS).otherwiseEmpty();
  }
}
