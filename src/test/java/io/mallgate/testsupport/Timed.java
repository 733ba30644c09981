package io.mallgate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/**
 * One request as its caller saw it: the answer (or the failure, when none came) and how long it took, in ms.
 *
 * @param response the answer, or {@code null} when the request failed without one
 */
public record Timed(HttpResponse<Buffer> response, Throwable failure, long millis) {

  /** Waits on the test thread for {@code call}, started at {@code startNanos}, and times it. */
  public static Timed await(Future<HttpResponse<Buffer>> call, long startNanos) {
    // Settles either way: a failed call is an outcome to report, not an exception on the test thread.
    Await.result(call.transform(settled -> Future.succeededFuture()), 120);
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    return call.succeeded() ? new Timed(call.result(), null, millis) : new Timed(null, call.cause(), millis);
  }

  public int status() {
    return response == null ? -1 : response.statusCode();
  }

  /** The {@code X-Mallgate-Error} code, or {@code null} for an answer of the upstream's own (or none). */
  public String gatewayCode() {
    return response == null ? null : response.getHeader("X-Mallgate-Error");
  }

  @Override
  public String toString() {
    return response == null ? "no answer after " + millis + " ms (" + failure + ")"
        : status() + " " + gatewayCode() + " after " + millis + " ms: " + response.bodyAsString();
  }
}
