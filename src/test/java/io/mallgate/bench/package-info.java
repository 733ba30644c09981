/**
 * JMH micro-benchmarks of the work every proxied request does on the event loop: the mall id and path checks, the
 * header rewrite in both directions and the token lookup. Run by {@code bench/jmh.sh}, never by Surefire (no class
 * here matches its includes); see "Micro-benchmarks (JMH)" in {@code docs/benchmarks.md}. The access line and the
 * request id are measured beside their package-private code, in {@code io.mallgate.edge.EdgeBenchmark}.
 */
package io.mallgate.bench;
