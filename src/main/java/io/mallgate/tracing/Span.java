package io.mallgate.tracing;

import io.vertx.core.AsyncResult;

/**
 * One unit of work in a trace: an inbound request, a token lookup, a refresh, a call to Cafe24. Callers set
 * attributes of their own choosing, under the keys below, and end it once. {@link #NONE} (tracing off, or a trace not
 * sampled) does nothing and returns itself, so code paths cost a virtual call and no allocation; test
 * {@link #recording()} before building a value only a span needs.
 *
 * <p>What goes in is the caller's responsibility, and the rule is short: names, codes, statuses and paths without
 * their query — never a header value, a token, a secret, an OAuth code or state, a URL's query or an exception
 * message ({@link #failed(Throwable)} takes the failure's code or class name only). Not thread-safe in the sense of
 * ordering: set attributes and end from one thread at a time (the SDK's span itself is thread-safe).
 */
public interface Span {

  /** Does nothing: tracing is off, or this trace is not sampled. */
  Span NONE = new NoSpan();

  /** HTTP method, e.g. {@code GET} (OpenTelemetry semantic conventions). */
  String HTTP_METHOD = "http.request.method";
  /** The route template, e.g. {@code /malls/{mall}/api/**}, never the raw path. */
  String HTTP_ROUTE = "http.route";
  String HTTP_STATUS = "http.response.status_code";
  /** A path, without its query. */
  String URL_PATH = "url.path";
  String SERVER_ADDRESS = "server.address";
  /** The kind of failure: a gateway error code, a class's simple name, or a word such as {@code invalid_grant}. */
  String ERROR_TYPE = "error.type";
  String MALL = "mallgate.mall_id";
  /** The {@code X-Mallgate-Error} code the gateway answered with. */
  String ERROR_CODE = "mallgate.error_code";
  String REQUEST_ID = "mallgate.request_id";
  /** 1 for the first try of a call, 2 for the next, and so on. */
  String ATTEMPT = "mallgate.attempt";
  /** How the token lookup went: {@code hit} (process cache) or {@code miss} (the store was read). */
  String TOKEN_CACHE = "mallgate.token.cache";
  /** How a refresh ended: {@code refreshed}, or {@code newer_found} (another request or instance had refreshed). */
  String REFRESH_OUTCOME = "mallgate.refresh.outcome";
  /** Time a request waited for the rate limiter's slots, in ms. */
  String RATE_WAIT_MS = "mallgate.rate_wait_ms";
  /** A webhook's route name: {@code default} for {@code POST /webhook}. */
  String WEBHOOK_ROUTE = "mallgate.webhook.route";
  String WEBHOOK_EVENT_NO = "mallgate.webhook.event_no";
  /** The recorded event's id (the stream entry's), the same on its intake and on each of its deliveries. */
  String WEBHOOK_ID = "mallgate.webhook.id";
  /** {@code accepted} or {@code duplicate}; a refused webhook has {@code mallgate.error_code} instead. */
  String WEBHOOK_OUTCOME = "mallgate.webhook.outcome";
  /** A fan-out subscriber's name ({@code webhook.subscribers}), never its URL. */
  String SUBSCRIBER = "mallgate.webhook.subscriber";

  /** How a span relates to the world: work inside the gateway, or a call out of it. */
  enum Kind {
    INTERNAL,
    CLIENT
  }

  /** Whether anything set on this span is kept (false for {@link #NONE}). */
  boolean recording();

  /** A new span, child of this one, started now; {@link #NONE} when this one is not recording. */
  Span child(String name, Kind kind);

  /** A new internal span, child of this one. */
  default Span child(String name) {
    return child(name, Kind.INTERNAL);
  }

  /** Sets an attribute; a {@code null} value sets nothing. */
  Span set(String key, String value);

  Span set(String key, long value);

  Span set(String key, boolean value);

  /** A point in time on this span, e.g. "joined a refresh in flight". */
  Span event(String name);

  /**
   * Marks this span failed: its status becomes ERROR and {@link #ERROR_TYPE} the failure's gateway code, or its
   * class's simple name. The message is never recorded: it may quote request data.
   */
  Span failed(Throwable failure);

  /** Marks this span failed with a kind of failure of the caller's naming (a closed set of words). */
  Span failed(String errorType);

  /** Ends the span; nothing set afterwards is kept. */
  void end();

  /** Ends the span after {@code outcome}: failed with its cause when it failed. */
  default void end(AsyncResult<?> outcome) {
    if (outcome.failed()) {
      failed(outcome.cause());
    }
    end();
  }
}
