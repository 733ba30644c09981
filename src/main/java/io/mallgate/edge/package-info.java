/**
 * The HTTP edge every request crosses before any route: framing and path checks that refuse smuggling and traversal
 * tricks ({@link io.mallgate.edge.PathSafety}), request ids, the access log line, the public listener's door, and
 * the single renderer of every failure ({@link io.mallgate.edge.FailureRenderer}) with its lingering close.
 */
package io.mallgate.edge;
