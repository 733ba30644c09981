/**
 * The optional HTTP fan-out of recorded webhooks. With Redis, each subscriber in {@code webhook.subscribers} has a
 * consumer group on the webhook stream, which every instance reads from and delivers through (at least once, with
 * retries whose state is the group's pending list, so it survives restarts and crashes); events a subscriber keeps
 * refusing go to a dead-letter stream. In the embedded mode (one instance only) each subscriber reads the webhook
 * log (in the embedded database) in order with a saved cursor, and dead letters are rows there. The admin API lists, replays and drops
 * dead letters of either kind ({@link io.mallgate.webhook.fanout.DeadLetterStore}).
 */
package io.mallgate.webhook.fanout;
