/**
 * The {@code /malls/{mall}/api/**} route as a chain of named steps ({@link io.mallgate.proxy.ProxyHandler} lists them
 * in order): mall id and path checks done before any I/O, identical GETs in flight sharing one call
 * ({@link io.mallgate.proxy.Coalescing}), the token, the body read before a concurrency place, the deadline, replay
 * and retry, the breaker and the rate slot, and a streaming exchange with the mall's Cafe24 API on one shared pooled
 * client, with header hygiene in both directions.
 */
package io.mallgate.proxy;
