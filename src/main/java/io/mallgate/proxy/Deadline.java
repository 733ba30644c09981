package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;

/** The step that bounds the rest of the way to a response head — tries, waits, replays — by the call's deadline. */
final class Deadline {

  private Deadline() {
  }

  /**
   * Fails the call with {@code upstream_timeout} when no response head is in by {@link ProxyCall#deadline}
   * ({@code proxy.totalTimeout} from the request's arrival). A head that comes later is dropped with its connection;
   * the steps after this one see the caller's answer and send nothing more ({@link ProxyCall#abandoned}).
   */
  static Future<HttpClientResponse> bound(ProxyCall call, ProxyChain next) {
    Future<HttpClientResponse> head = next.proceed(call);
    Vertx vertx = call.ctx().vertx();
    Promise<HttpClientResponse> bounded = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, (call.deadline() - System.nanoTime()) / 1_000_000),
        t -> bounded.tryFail(timedOut()));
    head.onComplete(outcome -> {
      vertx.cancelTimer(timer);
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
