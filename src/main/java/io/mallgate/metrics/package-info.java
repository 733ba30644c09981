/**
 * Prometheus metrics at {@code GET /metrics}. Each gateway owns its own Micrometer registry ({@link
 * io.mallgate.metrics.GatewayMetrics}), built in the composition root and never global, so that several gateways in
 * one JVM each report their own numbers. Small meter binders read what the other packages already count (circuits,
 * refreshes) at scrape time, and one edge handler counts every request once by status class and gateway code. Names
 * start with {@code mallgate_}; labels have a bounded set of values, and no label names a mall.
 */
package io.mallgate.metrics;
