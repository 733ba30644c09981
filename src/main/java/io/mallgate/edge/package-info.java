/**
 * The HTTP edge every request crosses before any route: framing and path checks that refuse smuggling and traversal
 * tricks, request ids, and the access log line.
 */
package io.mallgate.edge;
