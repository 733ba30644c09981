/**
 * What keeps one sick mall, one burst or one slow upstream from hurting the rest: Cafe24's per-mall rate budget
 * shared by every instance, a circuit breaker per mall, bounded concurrency, retries only where they are safe.
 */
package io.mallgate.resilience;
