package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the HTTP client throws into the gateway's failure: timeouts → 504, a full connection-pool wait queue
 * ({@code proxy.poolWaitQueue}) → 503 {@code overloaded}, anything else → 502.
 */
final class UpstreamFailures {

  private UpstreamFailures() {
  }

  static GatewayFailure toGatewayFailure(Throwable failure) {
    if (failure instanceof GatewayFailure gatewayFailure) {
      return gatewayFailure;
    }
    if (failure instanceof ConnectionPoolTooBusyException) {
      return new GatewayFailure(ErrorCode.OVERLOADED, "too many requests are waiting for a connection to Cafe24",
          Map.of("Retry-After", "1"));
    }
    if (isTimeout(failure)) {
      return new GatewayFailure(ErrorCode.UPSTREAM_TIMEOUT, "Cafe24 did not answer in time");
    }
    if (failure instanceof UnknownHostException || failure instanceof ConnectException) {
      return new GatewayFailure(ErrorCode.UPSTREAM_UNREACHABLE, "Cafe24 is unreachable");
    }
    return new GatewayFailure(ErrorCode.UPSTREAM_UNREACHABLE, "the connection to Cafe24 failed");
  }

  private static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }
}
