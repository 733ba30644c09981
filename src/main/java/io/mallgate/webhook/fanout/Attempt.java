package io.mallgate.webhook.fanout;

/**
 * The outcome of one delivery attempt.
 *
 * @param delivered whether the subscriber answered 2xx
 * @param status    the subscriber's status, or 0 when there was no answer
 * @param reason    a short description for logs and dead letters ({@code "status 503"}, {@code "timeout"}): never
 *                  the body, a header or the secret
 */
record Attempt(boolean delivered, int status, String reason) {
}
