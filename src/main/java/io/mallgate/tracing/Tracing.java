package io.mallgate.tracing;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway's traces: {@link #OFF}, or the OpenTelemetry SDK exporting over OTLP/HTTP ({@link #create}). Built once
 * by the composition root and passed through constructors; thread-safe.
 *
 * <p>Where spans start: the inbound request's server span ({@link #mount}, read back with {@link #serverSpan}), and
 * roots for the gateway's own work ({@link #root}: keep-alive refreshes, webhook deliveries). Everything else is a
 * child of a span its caller passes in.
 */
public interface Tracing {

  /** Tracing off: mounts nothing, every span is {@link Span#NONE}, nothing to close. */
  Tracing OFF = new NoTracing();

  /**
   * {@link #OFF} when {@code tracing.otlpEndpoint} is empty, else the SDK with its exporter and batch processor (a
   * background thread). Loads the SDK's classes: call it off the event loop.
   */
  static Tracing create(Vertx vertx, GatewayConfig.Tracing config) {
    return config.enabled() ? OtelTracing.create(vertx, config) : OFF;
  }

  /** Whether spans are recorded at all. */
  boolean enabled();

  /**
   * Mounts, first on {@code router}, the handler that starts each request's server span (continuing the caller's
   * {@code traceparent}) and ends it with the response. Health probes and metrics scrapes get none.
   */
  void mount(Router router);

  /** The request's server span, to add what a route knows (its route template, its outcome); or {@link Span#NONE}. */
  Span serverSpan(RoutingContext ctx);

  /** A span that starts a trace of its own (subject to the sample ratio), for work no request asked for. */
  Span root(String name, Span.Kind kind);

  /** Exports the spans ended so far. Never fails; does not block the caller. */
  Future<Void> flush();

  /** Exports what is left and stops the exporter, within 5 s at most. Never fails; does not block the caller. */
  Future<Void> close();
}
