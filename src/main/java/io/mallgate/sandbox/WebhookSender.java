package io.mallgate.sandbox;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Cafe24's side of a webhook delivery: one POST of the event's JSON to the app's webhook URL, with the app's
 * "WebHook auth key" in {@code X-API-Key} — the only authentication Cafe24 is known to send (no signature). No
 * retries: a test or the sandbox decides whether to resend. Thread-safe; the client is made on first use.
 */
final class WebhookSender {

  /** The header Cafe24 puts the app's WebHook auth key in. */
  static final String API_KEY_HEADER = "X-API-Key";
  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long IDLE_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private HttpClient client;

  WebhookSender(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends {@code body} to {@code url}.
   *
   * @param apiKey the app's WebHook auth key, or {@code null} to send none (an app without one)
   * @return the receiver's answer, whatever its status; fails only when no answer came
   */
  Future<WebhookReply> send(String url, Buffer body, String apiKey) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setIdleTimeout(IDLE_TIMEOUT_MILLIS)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (apiKey != null) {
      options.putHeader(API_KEY_HEADER, apiKey);
    }
    return client().request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(answer -> reply(response, answer)));
  }

  private static WebhookReply reply(HttpClientResponse response, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
    return new WebhookReply(response.statusCode(), headers, body);
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = vertx.createHttpClient();
    }
    return client;
  }
}
