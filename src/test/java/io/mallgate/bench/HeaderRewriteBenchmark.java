package io.mallgate.bench;

import io.mallgate.proxy.HeaderPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
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
 * {@link HeaderPolicy} both ways: the caller's eleven headers into a new map for Cafe24 (bearer, API version and
 * request id added; in the gateway that map is the upstream request's own; or, for the Front API, client id and
 * Basic instead of the bearer), and Cafe24's twelve response headers into the caller's response. The response map is emptied
 * before each copy ({@code clear} on Vert.x's header map is a small array fill) so that it never grows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderRewriteBenchmark {

  private HeaderPolicy policy;
  private MultiMap caller;
  private MultiMap upstream;
  private MultiMap response;
  private String accessToken;
  private String requestId;

  @Setup
  public void setUp() {
    policy = new HeaderPolicy("", "bench-client-id", "bench-front-key");
    caller = Requests.callerHeaders();
    upstream = Requests.upstreamHeaders();
    response = HttpHeaders.headers();
    accessToken = Requests.ACCESS_TOKEN;
    requestId = Requests.REQUEST_ID;
  }

  /** Into a new map each time, as into each new upstream request's own. */
  @Benchmark
  public MultiMap toUpstream() {
    MultiMap upstream = HttpHeaders.headers();
    policy.copyUpstream(caller, upstream, accessToken, requestId);
    return upstream;
  }

  /** A Front API call: the client id and the front key's Basic instead of the bearer (precomputed, not per call). */
  @Benchmark
  public MultiMap toFrontUpstream() {
    MultiMap upstream = HttpHeaders.headers();
    policy.copyFrontUpstream(caller, upstream, requestId);
    return upstream;
  }

  @Benchmark
  public MultiMap toCaller() {
    response.clear();
    policy.copyDownstream(upstream, response);
    return response;
  }
}
