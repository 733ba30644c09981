package io.mallgate.edge;

import io.mallgate.bench.Requests;
import io.vertx.core.MultiMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The edge's per-request checks that run apart from a {@code RoutingContext} (hence this package: they are
 * package-private): a new request id (the caller's own is kept when sane; a new one is made otherwise) and the
 * framing check of the caller's headers ({@code EdgeGuard}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EdgeBenchmark {

  private MultiMap caller;

  @Setup
  public void setUp() {
    caller = Requests.callerHeaders();
  }

  @Benchmark
  public String requestId() {
    return RequestIds.generate();
  }

  @Benchmark
  public boolean framing() {
    return EdgeGuard.framingSafe(caller);
  }
}
