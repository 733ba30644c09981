package io.mallgate.error;

/**
 * Every error the gateway itself answers, with its HTTP status. The lower-case {@link #code()} is public contract:
 * it stands in {@code more_info.gateway_code} and in the {@code X-Mallgate-Error} header, and docs/errors.md lists it
 * (ErrorCodeDocsTest keeps the list complete).
 */
public enum ErrorCode {
  INVALID_MALL_ID(400),
  INVALID_APP(400),
  APP_REQUIRED(400),
  INVALID_PATH(400),
  INVALID_REQUEST(400),
  INVALID_STATE(400),
  AUTHORIZATION_DENIED(400),
  INVALID_TOKEN_RESPONSE(400),
  MALL_NOT_AUTHORIZED(401),
  MALL_REAUTHORIZATION_REQUIRED(401),
  UPSTREAM_UNAUTHORIZED(401),
  ADMIN_UNAUTHORIZED(401),
  INVALID_LAUNCH_SIGNATURE(403),
  MALL_NOT_ALLOWED(403),
  WEBHOOK_UNVERIFIED(403),
  NOT_FOUND(404),
  MALL_NOT_FOUND(404),
  WEBHOOK_DEAD_LETTER_NOT_FOUND(404),
  WEBHOOK_SUBSCRIBER_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  BODY_TIMEOUT(408),
  BODY_TOO_LARGE(413),
  RATE_LIMITED(429),
  TOKEN_EXCHANGE_FAILED(502),
  TOKEN_REFRESH_FAILED(502),
  UPSTREAM_UNREACHABLE(502),
  WEBHOOK_REPLAY_FAILED(502),
  TOKEN_STORE_UNAVAILABLE(503),
  TOKEN_REFRESH_UNAVAILABLE(503),
  CAFE24_CLIENT_REJECTED(503),
  CIRCUIT_OPEN(503),
  OVERLOADED(503),
  WEBHOOK_STORE_UNAVAILABLE(503),
  WEBHOOK_NOT_CONFIGURED(503),
  UPSTREAM_TIMEOUT(504),
  INTERNAL_ERROR(500);

  /** The response header that carries {@link #code()}: it always means "the gateway said this", never Cafe24. */
  public static final String HEADER = "X-Mallgate-Error";

  private final int status;
  private final String code;

  ErrorCode(int status) {
    this.status = status;
    this.code = name().toLowerCase(java.util.Locale.ROOT);
  }

  public int status() {
    return status;
  }

  /** The stable code, e.g. {@code invalid_mall_id}. */
  public String code() {
    return code;
  }
}
