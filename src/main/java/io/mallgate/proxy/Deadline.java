package io.mallgate.proxy;

import io.mallgate.concurrent.LoopTimeouts;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;

/** The step that bounds the rest of the way to a response head — tries, waits, replays — by the call's deadline. */
final class Deadline {

  private static final String TIMEOUTS = "mallgate.proxy.deadlines";

  private Deadline() {
  }

  /**
   * Fails the call with {@code upstream_timeout} when no response head is in by {@link ProxyCall#deadline}
   * ({@code proxy.totalTimeout} from the request's arrival). A head that comes later is dropped with its connection;
   * the steps after this one see the caller's answer and send nothing more ({@link ProxyCall#abandoned}).
   */
  static Future<HttpClientResponse> bound(ProxyCall call, ProxyChain next) {
    Future<HttpClientResponse> head = next.proceed(call);
    if (head.isComplete()) { // refused before anything went out (circuit open, no rate slot): nothing to bound
      return head;
    }
    Promise<HttpClientResponse> bounded = Promise.promise();
    // One list for the loop's deadlines, all of proxy.totalTimeout: they are armed nearly in the order they fall due.
    LoopTimeouts.Timeout timeout = call.loop().timeouts(TIMEOUTS).arm(call.deadline(),
        () -> bounded.tryFail(timedOut()));
    head.onComplete(outcome -> {
      timeout.cancel();
      boolean taken = outcome.succeeded() ? bounded.tryComplete(outcome.result()) : bounded.tryFail(outcome.cause());
      if (!taken && outcome.succeeded()) {
        outcome.result().request().connection().close();
      }
    });
    return bounded.future();
  }

  /** The call's deadline passed with no answer: 504 {@code upstream_timeout}. */
  static GatewayFailure timedOut() {
    return new GatewayFailure(ErrorCode.UPSTREAM_TIMEOUT, "no answer from Cafe24 within proxy.totalTimeout");
  }
}
