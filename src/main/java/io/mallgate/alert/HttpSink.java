package io.mallgate.alert;

import io.mallgate.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.function.Function;

/**
 * POSTs one alert as JSON to a sink URL and succeeds on a 2xx answer. The URL is a credential (Slack's incoming
 * webhooks are): it is revealed only to the client, and failures describe themselves without it. Thread-safe.
 */
final class HttpSink {

  private final WebClient client;
  private final Secret url;
  private final Function<Alert, JsonObject> payload;
  private final long timeoutMillis;

  HttpSink(WebClient client, Secret url, Function<Alert, JsonObject> payload, Duration timeout) {
    this.client = client;
    this.url = url;
    this.payload = payload;
    this.timeoutMillis = timeout.toMillis();
  }

  Future<Void> send(Alert alert) {
    return client.postAbs(url.reveal())
        .timeout(timeoutMillis)
        .putHeader("Content-Type", "application/json")
        .sendJsonObject(payload.apply(alert))
        .recover(failure -> Future.failedFuture(new SinkFailure(failure.getClass().getSimpleName())))
        .compose(response -> response.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new SinkFailure("status " + response.statusCode())));
  }

  /** A failed delivery, described without the URL (a network error's message may quote it). */
  static final class SinkFailure extends RuntimeException {
    SinkFailure(String safeMessage) {
      super(safeMessage, null, false, false);
    }
  }
}
