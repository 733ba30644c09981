/**
 * Cafe24's webhooks: {@code POST /webhook} and {@code POST /webhook/{name}} read a bounded body, prove it comes from
 * Cafe24 on its raw bytes ({@link io.mallgate.webhook.WebhookVerifier}: the {@code X-API-Key} Cafe24 sends, and/or an
 * HMAC-SHA256 for other senders, constant-time, several secrets at once for rotation) before anything parses or stores
 * it, then record it with de-duplication in one atomic step ({@link io.mallgate.webhook.WebhookLog}: a Redis Stream, or
 * an append-only file for a single instance, compacted to the same bound without dropping what a subscriber still
 * needs) and only then answer 200, so that Cafe24 resends whatever was not durably kept. An app deleted or expired
 * event marks the mall so that no refresh is attempted until it is installed again, and an expiry extended event lifts
 * an expiry's mark ({@link io.mallgate.webhook.AppLifecycle}). Nothing here logs a body, a signature or a secret.
 */
package io.mallgate.webhook;
