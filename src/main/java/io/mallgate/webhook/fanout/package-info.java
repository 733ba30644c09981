/**
 * The optional HTTP fan-out of recorded webhooks: each subscriber in {@code webhook.subscribers} has a consumer group
 * on the webhook stream, which every instance reads from and delivers through (at least once, with retries whose
 * state is the group's pending list, so it survives restarts and crashes); events a subscriber keeps refusing go to a
 * dead-letter stream, which the admin API lists, replays and drops.
 */
package io.mallgate.webhook.fanout;
