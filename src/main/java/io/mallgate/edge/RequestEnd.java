package io.mallgate.edge;

import io.vertx.core.AsyncResult;
import io.vertx.ext.web.RoutingContext;

/**
 * Something that learns of every request once it is over: the access line, the request metrics, the admin API's
 * recent errors, the apps' usage. {@link EdgeGuard} registers one end handler per request that tells each of them in
 * turn, rather than each registering its own and passing the request on through the router: on the hot path every
 * handler and every end handler is work the proxy repeats for each call.
 */
@FunctionalInterface
public interface RequestEnd {

  /**
   * Called once on the request's event loop when its response has ended, or its connection closed first.
   *
   * @param ctx     the request and its response
   * @param facts   what the gateway learned of it, from its start time on
   * @param outcome failed when the connection closed before the response ended (the caller may have had no answer
   *                at all: see {@code headWritten})
   */
  void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome);
}
