/**
 * JMH micro-benchmarks of the work every proxied request does on the event loop: the mall id and path checks, the
 * header rewrite in both directions and the token lookup. Run by {@code bench/jmh.sh}, never by Surefire (no class
 * here matches its includes); see "Micro-benchmarks (JMH)" in {@code docs/benchmarks.md}. The access line and the
 * request id are measured beside their package-private code, in {@code io.mallgate.edge.EdgeBenchmark}.
 *
 * <p>Benchmark harnesses that {@code bench/storm.sh}, {@code bench/stream.sh} and {@code bench/run.sh} (which
 * compiles only {@code OpenLoop}) run as plain {@code main} programs against gateway processes ({@code java -jar
 * target/mallgate.jar}); no class here is a test, none is named like one, and CI never runs them. They use only what the runnable jar holds (Vert.x, the simulated Cafe24), so the scripts
 * compile them with {@code javac} against the jar. Every network step is a Vert.x Future on the event loop; only the
 * {@code main} threads wait.
 */
package io.mallgate.bench;
