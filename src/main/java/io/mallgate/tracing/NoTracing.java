package io.mallgate.tracing;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@link Tracing#OFF}. */
final class NoTracing implements Tracing {

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public void mount(Router router) {
    // no handler: a request's way is exactly what it is without tracing
  }

  @Override
  public Span serverSpan(RoutingContext ctx) {
    return Span.NONE;
  }

  @Override
  public Span root(String name, Span.Kind kind) {
    return Span.NONE;
  }

  @Override
  public Future<Void> flush() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public String toString() {
    return "Tracing.OFF";
  }
}
