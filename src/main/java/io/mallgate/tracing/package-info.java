/**
 * Traces over OpenTelemetry, off unless {@code tracing.otlpEndpoint} is set. The gateway sees only {@link
 * io.mallgate.tracing.Tracing} and {@link io.mallgate.tracing.Span}, built once by the composition root and passed
 * through constructors; when tracing is off they are {@link io.mallgate.tracing.Tracing#OFF} and {@link
 * io.mallgate.tracing.Span#NONE}, which build nothing, start no thread and allocate nothing per request. When on, the
 * OpenTelemetry SDK (only this package imports it) continues a caller's W3C {@code traceparent}, samples parent-based
 * by trace-id ratio and exports over OTLP/HTTP in batches. Spans are carried explicitly — on the proxied call, as a
 * parameter into the token path — never through a thread-local current context, which Vert.x's callbacks would not
 * keep. A span records what its callers set: names, codes, statuses, paths without queries; never a header, a token,
 * a secret, an OAuth code or state, or an exception message.
 */
package io.mallgate.tracing;
