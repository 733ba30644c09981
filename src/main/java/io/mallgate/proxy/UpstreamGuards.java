package io.mallgate.proxy;

import io.mallgate.resilience.MallBreakers;
import io.mallgate.resilience.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;

/**
 * What stands between one try and Cafe24, in three steps: the mall's circuit must not be open
 * ({@link #refuseWhenOpen}), the try takes a rate slot ({@link #pace}), and the exchange runs through the mall's
 * breaker ({@link #breaker}), which counts its outcome. Each try passes them again.
 */
final class UpstreamGuards {

  private final RateLimiter rateLimiter;
  private final MallBreakers breakers;

  UpstreamGuards(RateLimiter rateLimiter, MallBreakers breakers) {
    this.rateLimiter = rateLimiter;
    this.breakers = breakers;
  }

  /** Refuses at once ({@code circuit_open}) while the mall's circuit is open: a paused mall neither queues nor spends. */
  Future<HttpClientResponse> refuseWhenOpen(ProxyCall call, ProxyChain next) {
    return ProxyChain.when(breakers.admit(call.mall()), closed -> next.proceed(call));
  }

  /**
   * Waits for a slot from the rate limiter (or is refused, {@code rate_limited}), and feeds what Cafe24 answers about
   * its limits back to it. The wait, granted or not, goes to the access line. A caller that had its answer while it
   * waited never reaches the breaker, which would read any outcome as news of Cafe24.
   */
  Future<HttpClientResponse> pace(ProxyCall call, ProxyChain next) {
    String mall = call.mall();
    long start = System.nanoTime();
    // The limiter's Future completes on the caller's context (MallQueues hands it back): no hop needed here.
    Future<Void> slot = rateLimiter.acquire(mall);
    Future<HttpClientResponse> tried = slot.succeeded() ? granted(call, next, start)
        : slot.transform(outcome -> outcome.succeeded() ? granted(call, next, start)
            : waitedInVain(call, start, outcome.cause()));
    return tried.onSuccess(response -> rateLimiter.observe(mall, response.statusCode(), response.headers()));
  }

  private static Future<HttpClientResponse> granted(ProxyCall call, ProxyChain next, long askedAt) {
    call.facts().rateWaited(System.nanoTime() - askedAt);
    return call.abandoned() ? Future.failedFuture(new ProxyCall.Abandoned()) : next.proceed(call);
  }

  private static Future<HttpClientResponse> waitedInVain(ProxyCall call, long askedAt, Throwable refusal) {
    call.facts().rateWaited(System.nanoTime() - askedAt);
    return Future.failedFuture(refusal);
  }

  /** Runs the rest of the try through the mall's breaker: Cafe24's response whatever its status, or a failure. */
  Future<HttpClientResponse> breaker(ProxyCall call, ProxyChain next) {
    return breakers.call(call.mall(), () -> next.proceed(call));
  }
}
