package io.mallgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;

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
