package io.mallgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;
import java.util.function.Function;

/**
 * The proxy's {@link ProxyStep}s in order: each link holds a step and the chain after it. Linked once, when the
 * {@link ProxyHandler} is made, and immutable, so requests on every event loop share it and a step may run the rest
 * of the chain as often as it needs (a retry, a replay after a refresh) without any per-request copy.
 *
 * <p>Adding a step is adding it to the list given to {@link #of}.
 */
final class ProxyChain {

  /** Past the last step: a chain whose last step hands on never reached Cafe24 — a wiring mistake. */
  private static final ProxyChain END = new ProxyChain(null, null);

  private final ProxyStep step;
  private final ProxyChain rest;

  private ProxyChain(ProxyStep step, ProxyChain rest) {
    this.step = step;
    this.rest = rest;
  }

  /** Links {@code steps}, first to last; the last one answers without handing on (it sends to Cafe24). */
  static ProxyChain of(List<ProxyStep> steps) {
    ProxyChain chain = END;
    for (int i = steps.size() - 1; i >= 0; i--) {
      chain = new ProxyChain(steps.get(i), chain);
    }
    return chain;
  }

  /**
   * What a step does once {@code ready} has succeeded: at once when it already has (a cached token, a body already
   * in, a slot granted), with no listener and no Future of its own; else when it does. A failure of {@code ready}
   * fails the call. The common request finds everything ready, and this keeps its way to Cafe24 a plain call stack.
   */
  static <T> Future<HttpClientResponse> when(Future<T> ready, Function<T, Future<HttpClientResponse>> then) {
    return ready.succeeded() ? then.apply(ready.result()) : ready.compose(then);
  }

  /**
   * Runs this step, which runs the ones after it. A step that throws instead of returning a failed Future fails the
   * call just the same: a refusal is a {@code GatewayFailure} either way, and nothing escapes to the router.
   */
  Future<HttpClientResponse> proceed(ProxyCall call) {
    if (this == END) {
      return Future.failedFuture(new IllegalStateException("the proxy's last step handed on: nothing was sent"));
    }
    try {
      return step.apply(call, rest);
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
  }
}
