/**
 * Where the gateway keeps its state: one {@link io.mallgate.store.StateBackend}, Redis (shared by every instance) or
 * embedded on SQLite (one instance only), each building every stateful collaborator the gateway needs — token store,
 * refresh lock, token updates, install nonces, leadership, alert de-duplication, webhook log, lifecycle ledger,
 * fan-out cursors and dead letters, rate limiter, readiness check. Nothing outside asks which one it runs on.
 */
package io.mallgate.store;
