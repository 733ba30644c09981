package io.mallgate.error;

import java.util.Map;

/**
 * The one failure type of the gateway: a stable {@link ErrorCode} and a message safe to show a caller. The message
 * must never carry a token, a secret, an OAuth {@code code} or {@code state}: it goes into the response body as is.
 *
 * <p>No stack trace is captured: these are expected outcomes (a bad mall id, an unreachable upstream), raised often,
 * and the stack would only cost time. Any other throwable reaching the edge is an {@code internal_error}.
 */
public final class GatewayFailure extends RuntimeException {

  private final ErrorCode code;
  private final Map<String, String> headers;

  public GatewayFailure(ErrorCode code, String safeMessage) {
    this(code, safeMessage, Map.of());
  }

  /** With extra response headers, such as {@code Retry-After}. */
  public GatewayFailure(ErrorCode code, String safeMessage, Map<String, String> headers) {
    super(safeMessage, null, false, false);
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  public Map<String, String> headers() {
    return headers;
  }
}
