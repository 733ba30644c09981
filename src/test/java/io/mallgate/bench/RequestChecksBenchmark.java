package io.mallgate.bench;

import io.mallgate.cafe24.MallId;
import io.mallgate.edge.PathSafety;
import io.mallgate.proxy.ProxyTarget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The checks a request passes before any I/O. {@code pathSafety*} is the edge's check of the whole raw path
 * ({@code EdgeGuard}); {@code proxyTarget*} is the proxy route's parse: the mall id, the path again from
 * {@code /api/} on, and the {@code /api/v2/oauth} refusal. Fields, not constants, so nothing is folded away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestChecksBenchmark {

  private String mall = "myshop01";
  private String listPath = Requests.LIST_PATH;
  private String deepPath = Requests.DEEP_PATH;

  @Benchmark
  public boolean mallId() {
    return MallId.isValid(mall);
  }

  @Benchmark
  public boolean pathSafetyList() {
    return PathSafety.isSafe(listPath);
  }

  @Benchmark
  public boolean pathSafetyDeep() {
    return PathSafety.isSafe(deepPath);
  }

  @Benchmark
  public ProxyTarget proxyTargetList() {
    return ProxyTarget.parse(listPath);
  }

  @Benchmark
  public ProxyTarget proxyTargetDeep() {
    return ProxyTarget.parse(deepPath);
  }
}
