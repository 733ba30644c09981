package io.mallgate.resilience;

/**
 * A failure that says nothing about Cafe24's health — the caller hung up, or had its answer before the call could
 * go — so a circuit breaker must not read it as Cafe24 answering well either. Implemented by such exceptions.
 */
public interface SaysNothing {
}
