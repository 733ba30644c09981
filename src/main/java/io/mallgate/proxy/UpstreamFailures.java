package io.mallgate.proxy;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Turns what the HTTP client throws into the gateway's failure: timeouts → 504, anything else → 502. */
final class UpstreamFailures {

  private UpstreamFailures() {
  }

  static GatewayFailure toGatewayFailure(Throwable failure) {
    if (failure instanceof GatewayFailure gatewayFailure) {
      return gatewayFailure;
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
