/**
 * The keep-alive: a scheduler that refreshes every mall whose Cafe24 refresh token runs out within
 * {@code keepalive.refreshWhenLeft}, so that a mall nobody calls never lapses and never needs a reinstall. One
 * instance of a cluster scans at a time ({@code Leadership}: a Redis lock with a lease, or always the one embedded
 * instance); each refresh goes through the token package's own lock-and-compare-and-set protocol
 * ({@code TokenRefresher}), spread out with a random pause and bounded in number, and malls marked
 * {@code reauthorization_required} are left alone. Refreshes that fail are reported to a {@code KeepAliveListener}
 * (the alerts).
 */
package io.mallgate.keepalive;
