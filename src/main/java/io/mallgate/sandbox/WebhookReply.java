package io.mallgate.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What a webhook's receiver answered the simulated Cafe24.
 *
 * @param status  the HTTP status
 * @param headers a copy of the response headers
 * @param body    the response body
 */
public record WebhookReply(int status, MultiMap headers, Buffer body) {
}
