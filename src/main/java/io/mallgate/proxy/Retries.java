package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.token.TokenRecord;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The replay/retry step: runs the rest of the chain (one try: breaker, rate slot, send) and, by what came of it,
 * runs it again — within the call's deadline, which the step before this one enforces.
 *
 * <ul>
 *   <li>A 401 that names the token injected is refreshed and replayed once when the body was kept (a second 401,
 *       or any other 401, goes back as is): {@link TokenSteps#afterUnauthorized}. A replay is not a retry.</li>
 *   <li>An idempotent call ({@code retry.methods}) with a replayable body is retried, at most
 *       {@code retry.maxRetries} times and only when the wait fits the deadline: after a try that sent nothing
 *       (no connection could be had), with a jittered backoff; after a 429 or 503 with a wait Cafe24 announced.
 *       A POST is never sent twice; the gateway's own refusals (circuit open, rate limited) are never retried.</li>
 * </ul>
 */
final class Retries {

  private static final List<String> WAIT_HEADERS = List.of("Retry-After", "X-Cafe24-Call-Remain",
      "X-Cafe24-Time-Remain");
  private static final Pattern SECONDS = Pattern.compile("\\d{1,6}");

  private final GatewayConfig.Retry retry;
  private final TokenSteps tokens;

  Retries(GatewayConfig.Retry retry, TokenSteps tokens) {
    this.retry = retry;
    this.tokens = tokens;
  }

  /** The step: one try of the rest of the chain, then another as the outcome allows. */
  Future<HttpClientResponse> retry(ProxyCall call, ProxyChain next) {
    call.newTry();
    return next.proceed(call).transform(outcome -> outcome.succeeded() ? answered(call, next, outcome.result())
        : failed(call, next, outcome.cause()));
  }

  private Future<HttpClientResponse> failed(ProxyCall call, ProxyChain next, Throwable failure) {
    long wait = call.failedBeforeSending(failure) ? backoff(call.retries()) : -1;
    return canRetry(call, wait) ? later(call, next, wait) : Future.failedFuture(failure);
  }

  private Future<HttpClientResponse> answered(ProxyCall call, ProxyChain next, HttpClientResponse response) {
    int status = response.statusCode();
    if (status == 401 && call.replayAllowed()) {
      return tokens.afterUnauthorized(call, response)
          .compose(fresh -> fresh == null ? Future.succeededFuture(response) : replay(call, next, fresh));
    }
    long wait = status == 429 || status == 503 ? knownWait(response) : -1;
    if (wait >= 0 && canRetry(call, wait)) {
      return discard(response).compose(drained -> later(call, next, wait));
    }
    return Future.succeededFuture(response);
  }

  private Future<HttpClientResponse> replay(ProxyCall call, ProxyChain next, TokenRecord fresh) {
    call.replayWith(fresh);
    return retry(call, next);
  }

  /** A retry needs an idempotent method, a replayable body, retries left, and a wait that fits the deadline. */
  private boolean canRetry(ProxyCall call, long waitMillis) {
    return waitMillis >= 0 && call.retries() < retry.maxRetries() && call.body().replayable()
        && retry.methods().contains(call.request().method().name())
        && System.nanoTime() + waitMillis * 1_000_000 < call.deadline();
  }

  private Future<HttpClientResponse> later(ProxyCall call, ProxyChain next, long millis) {
    return call.ctx().vertx().timer(Math.max(1, millis)).compose(fired -> {
      call.retried();
      return retry(call, next);
    });
  }

  /** Jittered exponential backoff: half to all of {@code backoff × 2^retries}. */
  private long backoff(int retries) {
    long full = retry.backoff().toMillis() << retries;
    return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
  }

  /** The wait Cafe24 announced, in ms ({@code Retry-After} or the {@code *-Remain} seconds), or -1 when none. */
  private static long knownWait(HttpClientResponse response) {
    for (String header : WAIT_HEADERS) {
      String value = response.getHeader(header);
      if (value != null && SECONDS.matcher(value.strip()).matches()) {
        return Long.parseLong(value.strip()) * 1000;
      }
    }
    return -1;
  }

  /** Reads and drops a response we will not relay, so its connection goes back to the pool. */
  private static Future<Void> discard(HttpClientResponse response) {
    response.handler(chunk -> { });
    response.resume();
    return response.end();
  }
}
