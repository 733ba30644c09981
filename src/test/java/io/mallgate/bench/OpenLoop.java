package io.mallgate.bench;

import io.netty.channel.EventLoop;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop, fixed-rate HTTP GET load generator for step 7 of {@code bench/run.sh} (wrk2 is not packaged in
 * Debian; wrk's {@code delay()} paces a closed loop, which understates tails: coordinated omission).
 *
 * <p>Request {@code i} has the intended send time {@code t0 + i / rate}, whatever happened to the requests before it.
 * Each event loop sends every request whose intended time has passed, then schedules its next wake-up for the next
 * intended time. Its latency is the end of its response
 * minus that <em>intended</em> time, so a stall anywhere (the server, a full connection pool, a late timer, this
 * process) counts for every request that should have gone out during it. Requests go through a Vert.x
 * {@link HttpClient} per event loop (HTTP/1.1, keep-alive, no pipelining); when all of a pool's connections are busy a
 * request waits in the pool's queue, and that wait is part of its latency. Latencies are recorded in microseconds in an
 * HdrHistogram (in the runnable jar through Micrometer), only for requests whose intended time falls after the
 * warm-up.
 *
 * <p>Arguments: {@code --url http://host:port/path --rate R} and optionally {@code --duration 10s --warmup 3s
 * --conns 32 --threads 2 --drain 30s --prime 2000 --timeline true --epoll true --resolution-us 0}. Before the schedule starts, {@code --prime}
 * requests go out in a closed loop over every connection (not measured), to open the pools and warm the client's code.
 * {@code --epoll false} falls back to Java NIO, whose timers wake at whole milliseconds (and which, measured here, costs
 * about twice the CPU per request); {@code --resolution-us N} keeps at least N µs between an event loop's wake-ups (0:
 * wake at each due time). {@code --threads} event loops each send {@code rate / threads}
 * (interleaved) over their own pool of {@code conns / threads} connections. After the last intended send it waits up
 * to {@code --drain} for the answers still due; what is still missing then is failed, counted as an error and
 * recorded with its latency so far. {@code --timeline true} adds, on stderr, one line per second of intended send
 * time (warm-up included): the open-loop signature of overload is a latency that keeps growing second after second.
 *
 * <p>Prints one line on stdout, latencies in ms: {@code OPENLOOP target_rps achieved_rps requests errors p50 p90 p99
 * p99.9 max}, where {@code requests} and {@code errors} count the measured requests (non-2xx answers and failures are
 * errors; their latencies are recorded too) and {@code achieved_rps} is the 2xx answers that ended inside the
 * measurement window, per second of it. A human summary goes to stderr. Everything runs on the event loops; only the
 * {@code main} thread waits, for the final Future.
 */
public final class OpenLoop {

  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  private OpenLoop() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (!options.containsKey("url") || !options.containsKey("rate")) {
      System.err.println("usage: OpenLoop --url http://host:port/path --rate REQ_PER_S [--duration 10s] [--warmup 3s]"
          + " [--conns 32] [--threads 2] [--drain 30s] [--prime 2000] [--timeline true] [--epoll true] [--resolution-us 0]");
      System.exit(2);
    }
    URI url = URI.create(options.get("url"));
    double rate = Double.parseDouble(options.get("rate"));
    long durationNanos = nanos(options.getOrDefault("duration", "10s"));
    long warmupNanos = nanos(options.getOrDefault("warmup", "3s"));
    long drainNanos = nanos(options.getOrDefault("drain", "30s"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    int conns = Integer.parseInt(options.getOrDefault("conns", "32"));
    boolean timeline = Boolean.parseBoolean(options.getOrDefault("timeline", "false"));
    if (rate <= 0 || threads < 1 || conns < threads || durationNanos <= 0) {
      throw new IllegalArgumentException("need rate > 0, threads >= 1, conns >= threads, duration > 0");
    }
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(url.getHost())
        .setPort(url.getPort() > 0 ? url.getPort() : 80)
        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()))
        .setIdleTimeout(30_000);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads)
        .setPreferNativeTransport(Boolean.parseBoolean(options.getOrDefault("epoll", "true"))));
    List<Lane> lanes = new CopyOnWriteArrayList<>();
    long resolutionNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(options.getOrDefault("resolution-us", "0")));
    Plan plan = new Plan(request, rate, threads, warmupNanos, durationNanos, drainNanos, resolutionNanos);
    int[] next = {0};
    // One verticle instance per event loop; each gets its own lane index, pool and share of the rate.
    vertx.deployVerticle(() -> {
          int index;
          synchronized (next) {
            index = next[0]++;
          }
          int laneConns = conns / threads + (index < conns % threads ? 1 : 0);
          Lane lane = new Lane(plan, index, laneConns);
          lanes.add(lane);
          return lane;
        }, new DeploymentOptions().setInstances(threads))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // Connections opened and the client's code warmed (closed loop, not measured) before the schedule starts: a cold
    // client takes seconds to open its pool and leaves a backlog that the warm-up would then have to absorb.
    int prime = Integer.parseInt(options.getOrDefault("prime", "2000"));
    List<Future<Void>> primed = new ArrayList<>();
    for (Lane lane : lanes) {
      primed.add(lane.prime(prime / threads));
    }
    Future.all(primed).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    List<Future<Void>> done = new ArrayList<>();
    for (Lane lane : lanes) {
      done.add(lane.run(t0));
    }
    long waitSeconds = TimeUnit.NANOSECONDS.toSeconds(warmupNanos + durationNanos + drainNanos) + 60;
    Future.all(done).toCompletionStage().toCompletableFuture().get(waitSeconds, TimeUnit.SECONDS);

    Histogram all = new Histogram(HIGHEST_MICROS, 3);
    Histogram lag = new Histogram(HIGHEST_MICROS, 3);
    long requests = 0;
    long errors = 0;
    long okInWindow = 0;
    long unfinished = 0;
    Map<String, Long> errorKinds = new TreeMap<>();
    Histogram[] seconds = new Histogram[plan.seconds()];
    for (Lane lane : lanes) {
      all.add(lane.latency);
      lag.add(lane.sendLag);
      requests += lane.measured;
      errors += lane.errors;
      okInWindow += lane.okInWindow;
      unfinished += lane.unfinished;
      lane.errorKinds.forEach((kind, n) -> errorKinds.merge(kind, n, Long::sum));
      for (int s = 0; s < seconds.length; s++) {
        if (seconds[s] == null) {
          seconds[s] = new Histogram(HIGHEST_MICROS, 3);
        }
        seconds[s].add(lane.perSecond[s]);
      }
    }
    double windowSeconds = durationNanos / 1e9;
    double achieved = okInWindow / windowSeconds;
    System.out.println(String.format(Locale.ROOT, "OPENLOOP %.0f %.0f %d %d %.3f %.3f %.3f %.3f %.3f",
        rate, achieved, requests, errors, ms(all, 50), ms(all, 90), ms(all, 99), ms(all, 99.9),
        all.getMaxValue() / 1000.0));
    System.err.println(String.format(Locale.ROOT,
        "open loop %s: target %.0f req/s, achieved %.0f req/s over %.1f s, %d requests measured, %d errors"
            + " (%d unfinished after the drain), latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f;"
            + " send lag behind schedule ms p50 %.3f p99 %.3f max %.3f; %d event loop(s), %d connections",
        url, rate, achieved, windowSeconds, requests, errors, unfinished, ms(all, 50), ms(all, 90), ms(all, 99),
        ms(all, 99.9), all.getMaxValue() / 1000.0, ms(lag, 50), ms(lag, 99), lag.getMaxValue() / 1000.0, threads, conns));
    if (!errorKinds.isEmpty()) {
      System.err.println("errors by kind: " + errorKinds);
    }
    if (timeline) {
      long warmupSeconds = (warmupNanos + 999_999_999L) / 1_000_000_000L;
      for (int s = 0; s < seconds.length; s++) {
        Histogram h = seconds[s];
        System.err.println(String.format(Locale.ROOT, "  second %3d%s: %6d requests, ms p50 %9.3f p99 %9.3f max %9.3f",
            s, s < warmupSeconds ? " (warm-up)" : "", h.getTotalCount(), ms(h, 50), ms(h, 99),
            h.getMaxValue() / 1000.0));
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** "10s", "500ms", "2m" or a bare number of seconds (wrk's -d style). */
  static long nanos(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9);
    }
    if (t.endsWith("m")) {
      return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60e9);
    }
    if (t.endsWith("h")) {
      return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 3600e9);
    }
    return (long) (Double.parseDouble(t) * 1e9);
  }

  /** What every lane shares: the request, the global schedule and the phases. */
  record Plan(RequestOptions request, double rate, int lanes, long warmupNanos, long durationNanos, long drainNanos,
      long resolutionNanos) {
    double nanosPerRequest() {
      return 1e9 / rate;
    }

    int seconds() {
      return (int) ((warmupNanos + durationNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  /**
   * One event loop's share: global requests {@code index, index + lanes, index + 2 * lanes, ...}, over its own pool.
   * Every field is touched on this verticle's event loop only, until {@link #run}'s Future completes.
   */
  static final class Lane extends io.vertx.core.AbstractVerticle {
    private final Plan plan;
    private final int index;
    private final int conns;
    final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    final Histogram sendLag = new Histogram(HIGHEST_MICROS, 3);
    final Histogram[] perSecond;
    final Map<String, Long> errorKinds = new HashMap<>();
    long measured;
    long errors;
    long okInWindow;
    long unfinished;
    private HttpClient client;
    private ContextInternal loop;
    private EventLoop netty;
    private long t0;
    private long warmEnd;
    private long end;
    private long sequence;
    private long inFlight;
    private boolean sending;
    private boolean closing;
    private Promise<Void> finished;

    Lane(Plan plan, int index, int conns) {
      this.plan = plan;
      this.index = index;
      this.conns = conns;
      this.perSecond = new Histogram[plan.seconds()];
      for (int s = 0; s < perSecond.length; s++) {
        perSecond[s] = new Histogram(HIGHEST_MICROS, 3);
      }
    }

    @Override
    public void start() {
      loop = (ContextInternal) context;
      netty = loop.nettyEventLoop();
      client = vertx.httpClientBuilder()
          .with(new HttpClientOptions()
              .setProtocolVersion(HttpVersion.HTTP_1_1)
              .setKeepAlive(true)
              .setKeepAliveTimeout(300)
              .setPipelining(false)
              .setTcpNoDelay(true))
          .with(new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1))
          .build();
    }

    /** Sends {@code count} requests over all of the lane's connections, each after the previous on its own. */
    Future<Void> prime(int count) {
      Promise<Void> promise = Promise.promise();
      loop.runOnContext(v -> {
        long[] left = {count};
        int[] chains = {Math.max(1, Math.min(conns, count))};
        for (int c = chains[0]; c > 0; c--) {
          primeChain(left, chains, promise);
        }
      });
      return promise.future();
    }

    private void primeChain(long[] left, int[] chains, Promise<Void> promise) {
      if (left[0] <= 0) {
        if (--chains[0] == 0) {
          promise.complete();
        }
        return;
      }
      left[0]--;
      client.request(plan.request())
          .compose(HttpClientRequest::send)
          .compose(response -> response.end())
          .onComplete(outcome -> primeChain(left, chains, promise));
    }

    /** Starts sending at {@code t0} (a System.nanoTime value); completes when every answer is in or failed. */
    Future<Void> run(long start) {
      Promise<Void> promise = Promise.promise();
      loop.runOnContext(v -> {
        t0 = start;
        warmEnd = t0 + plan.warmupNanos();
        end = warmEnd + plan.durationNanos();
        finished = promise;
        sending = true;
        tick();
      });
      return promise.future();
    }

    private long intended(long n) {
      return t0 + (long) ((n * plan.lanes() + index) * plan.nanosPerRequest());
    }

    /**
     * Sends every request whose intended time has passed, then sleeps until the next one is due. The wake-up is a
     * task on the Netty event loop with a nanosecond delay (Vert.x timers count whole milliseconds, which would add up
     * to 1 ms of send lag, about 0.5 ms on average, to every latency); with the epoll transport it lands within tens of
     * microseconds unless the loop or the machine is busy, and any lateness is in the measured latency.
     */
    private void tick() {
      long now = System.nanoTime();
      long due;
      while ((due = intended(sequence)) <= now) {
        if (due >= end) {
          sending = false;
          vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(plan.drainNanos())), id -> giveUp());
          if (inFlight == 0) {
            finish();
          }
          return;
        }
        sequence++;
        send(due, now);
      }
      long wake = Math.max(due, now + plan.resolutionNanos());
      netty.schedule(() -> loop.dispatch(this::tick), wake - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void send(long due, long now) {
      boolean counted = due >= warmEnd;
      if (counted) {
        measured++;
        sendLag.recordValue(Math.min(HIGHEST_MICROS, (now - due) / 1000));
      }
      inFlight++;
      client.request(plan.request())
          .compose(HttpClientRequest::send)
          .compose(response -> response.end().map(ignored -> response.statusCode()))
          .onComplete(outcome -> {
            long ended = System.nanoTime();
            if (--inFlight == 0 && !sending && finished != null) {
              // the last answer: finish after recording it (runs after this callback, on this event loop)
              loop.runOnContext(v -> finish());
            }
            boolean ok = outcome.succeeded() && outcome.result() / 100 == 2;
            if (ok && ended >= warmEnd && ended < end) {
              okInWindow++;
            }
            long micros = Math.min(HIGHEST_MICROS, Math.max(0, (ended - due) / 1000));
            int second = (int) ((due - t0) / 1_000_000_000L);
            if (second < perSecond.length) {
              perSecond[second].recordValue(micros);
            }
            if (counted) {
              latency.recordValue(micros);
              if (!ok) {
                errors++;
                String kind = outcome.succeeded() ? "HTTP " + outcome.result()
                    : closing ? "unfinished after the drain" : outcome.cause().getClass().getSimpleName();
                errorKinds.merge(kind, 1L, Long::sum);
                if (closing && outcome.failed()) {
                  unfinished++;
                }
              }
            }
          });
    }

    /** The drain time is over: fail what is still waiting (recorded with its latency so far), then finish. */
    private void giveUp() {
      if (inFlight > 0 && !closing) {
        closing = true;
        client.close();
        // A request the close did not fail within 5 s is left out; finish anyway.
        vertx.setTimer(5000, id -> finish());
      }
    }

    private void finish() {
      if (finished == null) {
        return;
      }
      Promise<Void> promise = finished;
      finished = null;
      client.close().onComplete(closed -> promise.complete());
    }
  }
}
