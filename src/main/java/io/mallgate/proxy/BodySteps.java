package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.resilience.BodyMemory;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * The caller's body, in three steps: {@link #take} it over the moment the request is admitted, {@link #invite} it
 * ({@code 100 Continue}) only once the token is in hand, and wait until it is {@link #ready} (the whole of it, or its replayable head) before the
 * call takes a concurrency place. See {@link RequestBody} for its limits and deadlines.
 */
final class BodySteps {

  private final GatewayConfig.Proxy limits;
  private final BodyMemory memory;

  /** @param memory the instance's bound on request-body bytes held, shared by every event loop */
  BodySteps(GatewayConfig.Proxy limits, BodyMemory memory) {
    this.limits = limits;
    this.memory = memory;
  }

  /**
   * Takes over the body's handlers, synchronously, before any asynchronous step: an unpaused request with no handler
   * would drop body bytes. What it holds of the instance's body memory goes back when the exchange ends.
   */
  Future<HttpClientResponse> take(ProxyCall call, ProxyChain next) {
    RequestBody body = RequestBody.read(call.ctx().vertx(), call.request(), limits, memory);
    call.body(body);
    if (!body.none()) {
      call.ctx().addEndHandler(ended -> body.release());
    }
    return next.proceed(call);
  }

  /** Answers {@code Expect: 100-continue}: only after the checks and the token, never a 100 before a refusal. */
  static Future<HttpClientResponse> invite(ProxyCall call, ProxyChain next) {
    HttpServerRequest request = call.request();
    if (request.version() == HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    return next.proceed(call);
  }

  /** Waits for the whole body, or for its replayable head when it streams; fails as {@link RequestBody} says. */
  static Future<HttpClientResponse> ready(ProxyCall call, ProxyChain next) {
    return ProxyChain.when(call.body().ready(), ready -> next.proceed(call));
  }
}
