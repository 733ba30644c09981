/**
 * Benchmark harnesses that {@code bench/storm.sh} and {@code bench/stream.sh} run as plain {@code main} programs
 * against gateway processes ({@code java -jar target/mallgate.jar}); no class here is a test, none is named like one,
 * and CI never runs them. They use only what the runnable jar holds (Vert.x, the simulated Cafe24), so the scripts
 * compile them with {@code javac} against the jar. Every network step is a Vert.x Future on the event loop; only the
 * {@code main} threads wait.
 */
package io.mallgate.bench;
