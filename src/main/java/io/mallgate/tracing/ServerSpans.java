package io.mallgate.tracing;

import io.mallgate.edge.RequestFacts;
import io.mallgate.edge.RequestIds;
import io.mallgate.error.ErrorCode;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Starts every request's server span, first of all the router's handlers, and ends it when the response ends (or the
 * caller leaves). A caller's W3C {@code traceparent} and {@code tracestate} are continued — the caller's sampled flag
 * decides whether the request is recorded — and nothing else of its headers is read. Health probes and metrics
 * scrapes get no span: orchestrators and scrapers call every few seconds, and say nothing about a slow call.
 *
 * <p>On the span: {@code http.request.method}, {@code url.path} (never the query: an OAuth callback's holds a code
 * and a state), and at the end {@code http.response.status_code}, {@code http.route} when a route set one (the span
 * is then named {@code METHOD route}), {@code mallgate.mall_id}, {@code mallgate.error_code} (the gateway's
 * {@code X-Mallgate-Error}), {@code mallgate.request_id} and {@code mallgate.rate_wait_ms}. A 5xx, or a caller gone
 * before any answer, marks the span failed.
 */
final class ServerSpans implements Handler<RoutingContext> {

  /** Where the request's span is kept on its routing context. */
  static final String KEY = "mallgate.span";

  /** Only the two trace-context headers are ever looked up; keys() is for propagators that scan, which this is not. */
  private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServerRequest request) {
      return request.headers().names();
    }

    @Override
    public String get(HttpServerRequest request, String key) {
      return request == null ? null : request.getHeader(key);
    }
  };

  private final Tracer tracer;

  ServerSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    if (path == null || path.startsWith("/health/") || path.equals("/metrics")) {
      ctx.next();
      return;
    }
    Context caller = W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS);
    String method = request.method().name();
    Span span = OtelSpan.of(tracer, tracer.spanBuilder(method)
        .setParent(caller)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(Span.HTTP_METHOD, method)
        .setAttribute(Span.URL_PATH, path)
        .startSpan());
    if (span instanceof OtelSpan recording) {
      ctx.put(KEY, recording);
      ctx.addEndHandler(done -> end(ctx, recording, method, done.failed()));
    }
    ctx.next();
  }

  /** Runs what a first request runs, short of ending its span (see {@code OtelTracing.warmUp}). */
  static void warmUp(Tracer tracer) {
    Context none = W3CTraceContextPropagator.getInstance().extract(Context.root(), null, HEADERS);
    io.opentelemetry.api.trace.Span span = tracer.spanBuilder("warm-up").setParent(none).setSpanKind(SpanKind.SERVER)
        .setAttribute(Span.HTTP_METHOD, "GET").startSpan();
    Span warm = OtelSpan.of(tracer, span);
    warm.child("warm-up", Span.Kind.CLIENT).set(Span.HTTP_STATUS, 200L).set(Span.MALL, "warm-up").event("warm-up")
        .failed("warm-up");
  }

  /** The request's span, or {@link Span#NONE} when it has none (not sampled, a probe). */
  static Span of(RoutingContext ctx) {
    Span span = ctx.get(KEY);
    return span == null ? Span.NONE : span;
  }

  private static void end(RoutingContext ctx, OtelSpan span, String method, boolean failed) {
    HttpServerResponse response = ctx.response();
    String code = response.headers().get(ErrorCode.HEADER);
    if (failed && !response.headWritten()) {
      span.failed("caller_closed"); // the caller left before any answer: Vert.x would still report 200
    } else {
      int status = response.getStatusCode();
      span.set(Span.HTTP_STATUS, status);
      if (status >= 500) {
        span.failed(code != null ? code : Integer.toString(status));
      }
    }
    span.set(Span.ERROR_CODE, code);
    RequestFacts facts = RequestFacts.of(ctx);
    span.set(Span.MALL, facts.mall());
    span.set(Span.REQUEST_ID, RequestIds.of(ctx, facts));
    if (facts.hasRateWait()) {
      span.set(Span.RATE_WAIT_MS, facts.rateWaitNanos() / 1_000_000);
    }
    String route = span.route();
    if (route != null) {
      span.rename(method + " " + route);
    }
    span.end();
  }
}
