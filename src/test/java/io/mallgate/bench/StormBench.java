package io.mallgate.bench;

import io.mallgate.bench.StormRun.Sample;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.cafe24.Cafe24Time;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The refresh storm of issue 7, run by {@code bench/storm.sh}: a simulated Cafe24 in this process, gateway processes
 * started by the script in front of it (sharing one Redis), and a closed loop of {@code --per-instance} concurrent
 * GETs on each gateway while the mall's access token reaches its refresh moment. Writes a Markdown table to
 * {@code --report} and exits 1 when the protocol's promises broke (refresh grants ≠ 1, a reused refresh token, an
 * error answer).
 *
 * <p>Arguments: {@code --simulator-port N --gateways P1,P2,P3 --client-id ID --report FILE} and optionally
 * {@code --per-instance 300 --lead-ms 4000 --refresh-before-ms 1 --warmup-ms 10000}. The environment gives the secrets,
 * never the command line: {@code BENCH_ADMIN_TOKEN} (the gateways' admin token) and {@code BENCH_CLIENT_SECRET}.
 * No token is ever printed.
 */
public final class StormBench {

  private static final String MALL = "storm";
  private static final String WARM_MALL = "warm";
  private static final String PATH = "/api/v2/admin/products";
  private static final Duration NORMAL_LIFETIME = Duration.ofHours(2);

  private final Vertx vertx;
  private final Map<String, String> options;
  private final List<Integer> ports;
  private final int perInstance;
  private final Cafe24Simulator simulator;
  private final HttpClient client;

  private StormBench(Vertx vertx, Map<String, String> options) {
    this.vertx = vertx;
    this.options = options;
    this.ports = Arrays.stream(required("gateways").split(",")).map(Integer::parseInt).toList();
    this.perInstance = Integer.parseInt(options.getOrDefault("per-instance", "300"));
    SimulatorSettings settings = SimulatorSettings.defaults()
        .withClient(required("client-id"), System.getenv("BENCH_CLIENT_SECRET"))
        // The storm measures the refresh, not Cafe24's bucket (the gateways' own rate limit is off too).
        .withRateLimitEnabled(false);
    this.simulator = new Cafe24Simulator(vertx, settings);
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(300))
        .with(new PoolOptions().setHttp1MaxSize(perInstance).setMaxWaitQueueSize(-1))
        .build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    // A blocked event loop is reported with its stack from 2 s on (default 5 s): on a starved machine the harness must
    // be able to show that the stall is not its own.
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setWarningExceptionTime(2).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
    int exit;
    try {
      exit = new StormBench(vertx, options).run();
    } finally {
      await(vertx.close(), 30);
    }
    System.exit(exit);
  }

  private int run() throws Exception {
    await(simulator.start(Integer.parseInt(required("simulator-port"))), 30);
    for (int port : ports) {
      await(ready(port, System.nanoTime() + TimeUnit.SECONDS.toNanos(120)), 130);
    }
    long warmupMillis = Long.parseLong(options.getOrDefault("warmup-ms", "10000"));
    importTokens(WARM_MALL, simulator.issueTokens(WARM_MALL));
    long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
    List<Sample> warm = await(new StormRun(client, ports, perInstance)
        .run(uri(WARM_MALL), start -> start >= warmEnd, warmEnd + TimeUnit.SECONDS.toNanos(60)), 120);
    System.out.println("warm-up: " + warm.size() + " requests, "
        + warm.stream().filter(sample -> !sample.ok()).count() + " not 2xx");
    return storm();
  }

  private int storm() throws Exception {
    long leadMillis = Long.parseLong(options.getOrDefault("lead-ms", "4000"));
    Duration refreshBefore = Duration.ofMillis(Long.parseLong(options.getOrDefault("refresh-before-ms", "1")));
    simulator.setAccessTokenLifetime(refreshBefore.plusMillis(leadMillis));
    JsonObject tokens = simulator.issueTokens(MALL);
    simulator.setAccessTokenLifetime(NORMAL_LIFETIME);
    String expiresText = tokens.getString("expires_at");
    Instant t0 = Cafe24Time.parse(expiresText).minus(refreshBefore);
    long t0Nanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(t0.toEpochMilli() - System.currentTimeMillis());
    importTokens(MALL, tokens);
    int tokenRequests = simulator.tokenRequestCount();
    int reuses = simulator.refreshReuseCount();
    AtomicLong firstTokenRequest = new AtomicLong();
    AtomicLong firstRefresh = new AtomicLong();
    long watch = vertx.setPeriodic(1, id -> {
      if (firstTokenRequest.get() == 0 && simulator.tokenRequestCount() > tokenRequests) {
        firstTokenRequest.set(System.nanoTime());
      }
      if (firstRefresh.get() == 0 && simulator.refreshCount(MALL) > 0) {
        firstRefresh.set(System.nanoTime());
      }
    });
    long stormStart = System.nanoTime();
    List<Sample> samples = await(new StormRun(client, ports, perInstance)
        .run(uri(MALL), start -> start >= t0Nanos, t0Nanos + TimeUnit.SECONDS.toNanos(60)), 180);
    vertx.cancelTimer(watch);
    StormReport.Cafe24Side cafe24 = new StormReport.Cafe24Side(simulator.tokenRequestCount() - tokenRequests,
        simulator.refreshAttempts(MALL), simulator.refreshCount(MALL), simulator.refreshReuseCount() - reuses,
        firstTokenRequest.get(), firstRefresh.get());
    Map<String, String> settings = settings(expiresText, refreshBefore, leadMillis, t0Nanos - stormStart);
    StormReport report = new StormReport(samples, t0Nanos);
    Files.writeString(Path.of(required("report")), report.markdown(settings, cafe24));
    System.out.println("harness (simulator and load) CPU: " + ProcessHandle.current().info().totalCpuDuration()
        .map(cpu -> String.format("%.1f s", cpu.toMillis() / 1000.0)).orElse("?") + " (whole run)");
    boolean kept = cafe24.refreshes() == 1 && cafe24.refreshAttempts() == 1 && cafe24.reuses() == 0
        && report.errors() == 0;
    return kept ? 0 : 1;
  }

  private Map<String, String> settings(String expiresText, Duration refreshBefore, long leadMillis, long leadNanos) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("gateways × concurrent requests", ports.size() + " × " + perInstance + " = "
        + ports.size() * perInstance + " (closed loop: each worker sends its next GET when the last is answered, on a"
        + " keep-alive connection of its own)");
    settings.put("warm-up", options.getOrDefault("warmup-ms", "10000") + " ms of the same loop on another mall");
    settings.put("token", "imported with " + (refreshBefore.toMillis() + leadMillis) + " ms to live: expires_at "
        + expiresText + " (naive Korea time, as Cafe24 writes it) = "
        + Cafe24Time.parse(expiresText) + "; tokens.refreshBefore " + refreshBefore.toMillis()
        + " ms, so T0 = expires_at − " + refreshBefore.toMillis() + " ms");
    settings.put("storm", String.format("started T0 − %.2f s; each worker stops after its first request sent at or"
        + " after T0", leadNanos / 1e9));
    return settings;
  }

  private static String uri(String mall) {
    return "/malls/" + mall + PATH;
  }

  /** Imports Cafe24's token response through the first gateway's admin API, as an operator would. */
  private void importTokens(String mall, JsonObject tokens) throws Exception {
    RequestOptions put = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(ports.get(0))
        .setURI("/admin/malls/" + mall + "/token")
        .putHeader("Authorization", "Bearer " + System.getenv("BENCH_ADMIN_TOKEN"))
        .putHeader("Content-Type", "application/json");
    int status = await(client.request(put)
        .compose(request -> request.send(tokens.toBuffer()))
        .compose(response -> response.body().map(body -> response.statusCode())), 30);
    if (status != 200) {
      throw new IllegalStateException("token import for mall " + mall + " answered " + status);
    }
  }

  /** Completes once {@code /health/ready} answers 200, polling every 200 ms; fails after {@code deadlineNanos}. */
  private Future<Void> ready(int port, long deadlineNanos) {
    Promise<Void> ready = Promise.promise();
    poll(port, deadlineNanos, ready);
    return ready.future();
  }

  private void poll(int port, long deadlineNanos, Promise<Void> ready) {
    client.request(HttpMethod.GET, port, "127.0.0.1", "/health/ready")
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(outcome -> {
          if (outcome.succeeded() && outcome.result() == 200) {
            ready.complete();
          } else if (System.nanoTime() > deadlineNanos) {
            ready.fail("gateway on port " + port + " not ready within 120 s");
          } else {
            vertx.setTimer(200, timer -> poll(port, deadlineNanos, ready));
          }
        });
  }

  private String required(String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }

  // Only the main thread waits here; the work itself runs on the event loop.
  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
