/**
 * Cafe24's value types that every feature may use, without I/O: the mall id (a DNS label, the only thing between a
 * caller and an arbitrary upstream host, {@link io.mallgate.cafe24.MallId}) and Cafe24's Korea-time timestamps
 * ({@link io.mallgate.cafe24.Cafe24Time}). Depends on no other package of the gateway.
 */
package io.mallgate.cafe24;
