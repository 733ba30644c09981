package io.mallgate.webhook.fanout;

import io.mallgate.config.GatewayConfig;
import io.mallgate.tracing.Span;
import io.mallgate.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forwards one recorded event to one subscriber: a POST of the raw body exactly as Cafe24 sent it, with
 * {@code X-Mallgate-Event-Id} (the stream id, the identity to de-duplicate by), {@code X-Mallgate-Event-No},
 * {@code X-Mallgate-Mall-Id} and, with a secret, the HMAC-SHA256 of those exact bytes. Redirects are not followed;
 * anything but a 2xx within {@code timeout} is a failed attempt. Never fails: the outcome is an {@link Attempt}.
 *
 * <p>Each attempt is a client span {@code webhook.delivery} of its own trace (no request asked for it): the
 * subscriber's name, the attempt, the event's id, number and mall, and the subscriber's status. Never its URL (the
 * query may carry a token), a header or the body. No trace context is sent to the subscriber.
 */
final class SubscriberClient {

  static final String EVENT_ID = "X-Mallgate-Event-Id";
  static final String EVENT_NO = "X-Mallgate-Event-No";
  static final String MALL_ID = "X-Mallgate-Mall-Id";

  private final WebClient client;
  private final GatewayConfig.WebhookSubscriber subscriber;
  private final Tracing tracing;

  SubscriberClient(WebClient client, GatewayConfig.WebhookSubscriber subscriber, Tracing tracing) {
    this.client = client;
    this.subscriber = subscriber;
    this.tracing = tracing;
  }

  /** @param attempt 1 for the event's first attempt to this subscriber, and so on */
  Future<Attempt> deliver(StreamEntry entry, long attempt) {
    Span span = tracing.root("webhook.delivery", Span.Kind.CLIENT);
    if (!span.recording()) {
      return send(entry);
    }
    span.set(Span.HTTP_METHOD, "POST").set(Span.SUBSCRIBER, subscriber.name()).set(Span.ATTEMPT, attempt)
        .set(Span.WEBHOOK_ID, entry.id()).set(Span.WEBHOOK_EVENT_NO, entry.field("event_no"))
        .set(Span.MALL, entry.field("mall_id"));
    return send(entry).andThen(outcome -> {
      Attempt made = outcome.result();
      if (made.status() > 0) {
        span.set(Span.HTTP_STATUS, made.status());
      }
      if (!made.delivered()) {
        span.failed(made.status() > 0 ? Integer.toString(made.status()) : made.reason());
      }
      span.end();
    });
  }

  private Future<Attempt> send(StreamEntry entry) {
    long timeout = subscriber.timeout().toMillis();
    HttpRequest<Void> request = client.postAbs(subscriber.url())
        .followRedirects(false)
        .connectTimeout(timeout)
        .idleTimeout(timeout)
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .putHeader(EVENT_ID, entry.id())
        .putHeader(EVENT_NO, entry.field("event_no"))
        .putHeader(MALL_ID, entry.field("mall_id"))
        // The answer's body is of no use and could be large: discard it as it arrives.
        .as(BodyCodec.none());
    if (!subscriber.secret().isEmpty()) {
      request.putHeader(subscriber.header(), signature(entry.body().getBytes()));
    }
    return request.sendBuffer(entry.body())
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .map(response -> response.statusCode() / 100 == 2
            ? new Attempt(true, response.statusCode(), "status " + response.statusCode())
            : new Attempt(false, response.statusCode(), "status " + response.statusCode()))
        .otherwise(SubscriberClient::failed);
  }

  private String signature(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(subscriber.secret().reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(body);
      return "hex".equals(subscriber.encoding()) ? HexFormat.of().formatHex(digest)
          : Base64.getEncoder().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JVM provides HmacSHA256", e);
    }
  }

  // Only the kind of failure: an exception message may quote the URL's query, which can carry a token.
  private static Attempt failed(Throwable failure) {
    String reason = failure instanceof TimeoutException || String.valueOf(failure.getMessage()).contains("timeout")
        ? "timeout"
        : failure instanceof ConnectException ? "connection refused" : failure.getClass().getSimpleName();
    return new Attempt(false, 0, reason);
  }
}
