package io.mallgate.tracing;

import io.mallgate.error.GatewayFailure;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * A recording {@link Span} over the SDK's. Its children get it as their parent explicitly ({@link Context#root()} with
 * this span), never through {@code Context.current()}: the thread that ends a Vert.x future is not the one that
 * started the work, so a thread-local context would hand spans to the wrong parent.
 */
final class OtelSpan implements Span {

  private final Tracer tracer;
  private final io.opentelemetry.api.trace.Span span;
  /** The {@link #HTTP_ROUTE} set on it, which names a server span when it ends; {@code null} until set. */
  private volatile String route;

  private OtelSpan(Tracer tracer, io.opentelemetry.api.trace.Span span) {
    this.tracer = tracer;
    this.span = span;
  }

  /** {@code span} as one of ours; {@link Span#NONE} when the sampler dropped it (its children would be dropped too). */
  static Span of(Tracer tracer, io.opentelemetry.api.trace.Span span) {
    return span.isRecording() ? new OtelSpan(tracer, span) : Span.NONE;
  }

  static SpanKind kind(Kind kind) {
    return kind == Kind.CLIENT ? SpanKind.CLIENT : SpanKind.INTERNAL;
  }

  @Override
  public boolean recording() {
    return true;
  }

  @Override
  public Span child(String name, Kind kind) {
    return of(tracer, tracer.spanBuilder(name)
        .setParent(Context.root().with(span))
        .setSpanKind(kind(kind))
        .startSpan());
  }

  @Override
  public Span set(String key, String value) {
    if (value != null) {
      if (HTTP_ROUTE.equals(key)) {
        route = value;
      }
      span.setAttribute(key, value);
    }
    return this;
  }

  @Override
  public Span set(String key, long value) {
    span.setAttribute(key, value);
    return this;
  }

  @Override
  public Span set(String key, boolean value) {
    span.setAttribute(key, value);
    return this;
  }

  @Override
  public Span event(String name) {
    span.addEvent(name);
    return this;
  }

  @Override
  public Span failed(Throwable failure) {
    if (failure instanceof GatewayFailure gatewayFailure) {
      return failed(gatewayFailure.code().code());
    }
    String name = failure.getClass().getSimpleName();
    return failed(name.isEmpty() ? failure.getClass().getName() : name);
  }

  @Override
  public Span failed(String errorType) {
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, errorType);
    return this;
  }

  @Override
  public void end() {
    span.end();
  }

  /** The route template set on this span, or {@code null}. */
  String route() {
    return route;
  }

  void rename(String name) {
    span.updateName(name);
  }
}
