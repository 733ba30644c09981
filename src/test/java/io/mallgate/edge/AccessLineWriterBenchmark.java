package io.mallgate.edge;

import io.mallgate.bench.Requests;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One access line through the gateway's own writer ({@code accessLog.output: stdout}), as the event loop pays it:
 * the line formatted into the thread's buffer. The writer's thread takes the buffers every 10 ms and writes them to
 * an output stream that drops the bytes; its CPU is not in the score (see {@code -prof gc} for the bytes allocated).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLineWriterBenchmark {

  @Param({"plain", "json"})
  public String format;

  private AccessLineWriter writer;
  private String path;

  @Setup
  public void setUp() {
    writer = new AccessLineWriter("json".equals(format), OutputStream.nullOutputStream(), Duration.ofMillis(10));
    path = "/malls/myshop01/api/v2/admin/products";
  }

  @TearDown
  public void tearDown() {
    writer.close();
  }

  /** A proxied GET answered 200 in 1.4 ms, 1.1 ms of it upstream. */
  @Benchmark
  public void accessLine() {
    writer.accept(new AccessLine(System.currentTimeMillis(), "vert.x-eventloop-thread-0", "myshop01", "orders-sync",
        "GET", path, 200, 1_412_345, 1_104_321L, Requests.REQUEST_ID, null));
  }
}
