package io.mallgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;

/**
 * One named step on a proxied request's way to Cafe24's response head (see {@link ProxyHandler} for the order). A
 * step does its part of the {@link ProxyCall} and hands on with {@code next.proceed(call)}, or answers without it: a
 * refusal is a failed Future, which no later step ever sees. A step that wraps the rest (the deadline, the retries)
 * may run {@code next} again; it is immutable and shared.
 *
 * <p>Steps are built once per {@link ProxyHandler} and shared by every request on every event loop, so they keep no
 * per-request state: that lives in the call. A step runs on the request's event loop and must not block. One that
 * needs nothing asynchronous calls {@code next} directly rather than through a Future, so it costs the request no
 * allocation. A {@link RuntimeException} it throws fails the call like a failed Future would ({@link ProxyChain}).
 */
@FunctionalInterface
interface ProxyStep {

  /**
   * @param call the request's state, shared with the steps before and after this one
   * @param next the steps after this one; {@code next.proceed(call)} runs them and returns their response head
   * @return Cafe24's response head, paused (its body is the relay's), or the failure that ends the call; or
   *     {@code null} when the call was answered without an exchange of its own ({@link ProxyCall#served})
   */
  Future<HttpClientResponse> apply(ProxyCall call, ProxyChain next);
}
