/**
 * The {@code /malls/{mall}/api/**} route: mall id and path checks done before any I/O, header hygiene in both
 * directions, and a streaming exchange with the mall's Cafe24 API on one shared pooled client.
 */
package io.mallgate.proxy;
