package io.mallgate.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Await;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The randomised interleaving proof of the refresh protocol (issue 3): hundreds of seeded runs, each with three
 * instances on one real Redis in front of the simulated Cafe24 over loopback HTTP, random pauses around every store
 * and lock step, short leases that run out, a token endpoint that is slow, fails or loses answers, and instances that
 * crash mid-refresh ({@link InterleavingRun}). After each run ({@link RunInvariants}): at most one successful
 * redemption per refresh token, and no second presentation at all when nothing was uncertain; versions never go
 * back; the store holds the last refresh token Cafe24 issued unless the mall is marked, and it is marked only when
 * its token really is dead.
 *
 * <p>System properties: {@code mallgate.interleave.seed} re-runs one seed ({@code mallgate.interleave.repeat} times,
 * default 20: timing is real, so a seed replays its plan, not always its exact interleaving);
 * {@code mallgate.interleave.runs} (default 240), {@code mallgate.interleave.lanes} (runs at once, default 12) and
 * {@code mallgate.seed} shape a batch: the batch's base seed, {@link #DEFAULT_BASE_SEED} unless it is a number or
 * {@code random} (a new one per run, from the clock; the old {@code mallgate.interleave.baseSeed} is read too). A
 * fixed default keeps a plain build reproducible, since the test asserts which paths the batch explored; a random
 * base seed is for soaking. {@code mallgate.interleave.show=<path>}
 * prints the traces of the first three passing runs that took a path of the summary (e.g. {@code lease.overrun});
 * {@code mallgate.interleave.strict=true} adds the "no avoidable lockout" invariant. For a long soak, add
 * {@code -Djunit.jupiter.execution.timeout.mode=disabled}. The summary line goes to stdout (with surefire:
 * {@code target/surefire-reports/io.mallgate.refresh.RefreshInterleavingTest-output.txt}).
 */
@Timeout(value = 85, unit = TimeUnit.SECONDS)
@Slow
class RefreshInterleavingTest {

  private static final Long SEED = Long.getLong("mallgate.interleave.seed");
  private static final int RUNS = Integer.getInteger("mallgate.interleave.runs", 240);
  private static final int LANES = Integer.getInteger("mallgate.interleave.lanes", 12);
  private static final boolean STRICT = Boolean.getBoolean("mallgate.interleave.strict");
  private static final String SHOW = System.getProperty("mallgate.interleave.show");
  private static final AtomicInteger SHOWN = new AtomicInteger();
  private static final int MAX_REPORTED_FAILURES = 3;
  /**
   * The base seed of a plain build's batch: in three runs its 240 plans took every path {@link #assertExplored} asks
   * for, the rarest ({@code lease.overrun}) in 30 to 33 of them (timing is real, so a plan's path is likely, not
   * certain).
   */
  static final long DEFAULT_BASE_SEED = 3600301683276L;
  /** A stall between Cafe24's answer and the compare-and-set outlives the lease; see the disabled test. */
  private static final long AVOIDABLE_LOCKOUT_SEED = 8387203783822893849L;

  @TempDir
  static Path dir;
  static Vertx driver;
  static RedisCommands redis;
  static List<InterleavingRun.Lane> lanes = new ArrayList<>();

  @BeforeAll
  static void start() {
    driver = Vertx.vertx();
    String redisUrl = RedisServer.shared().url();
    for (int i = 0; i < LANES; i++) {
      Cafe24Simulator simulator = Canaries.watch(new Cafe24Simulator(driver, SimulatorSettings.defaults()
          .withRateLimitEnabled(false)));
      Await.result(simulator.start(0));
      lanes.add(new InterleavingRun.Lane(i, simulator,
          TestConfig.forSimulator(simulator.baseUrl(), redisUrl, dir).build()));
    }
    redis = new RedisCommands(RedisClientFactory.create(driver, lanes.get(0).config().redis()), Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    Await.result(driver.close());
  }

  @Test
  void should_keep_the_refresh_invariants_when_instances_interleave_with_pauses_faults_lease_expiry_and_crashes()
      throws Exception {
    List<Long> seeds = SEED != null ? repeated(SEED) : batch();
    PathTally tally = runAll(seeds, STRICT);
    if (SEED == null) {
      assertExplored(tally);
    }
  }

  /**
   * A refresher whose lease ran out between Cafe24's answer and its compare-and-set finds the version moved by
   * another instance's mark (that instance presented the same, now redeemed, token): it must store the only live
   * pair over the mark instead of locking the merchant out. This seed showed the lockout in about half its replays
   * before {@code TokenRefresher.afterLostWrite}.
   */
  @Test
  void should_store_the_last_issued_pair_when_a_late_writer_finds_the_mall_marked() throws Exception {
    runAll(Collections.nCopies(30, AVOIDABLE_LOCKOUT_SEED), true);
  }

  private static PathTally runAll(List<Long> seeds, boolean strict) throws Exception {
    PathTally tally = new PathTally();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(LANES);
    try {
      List<Future<?>> lanesDone = new ArrayList<>();
      for (InterleavingRun.Lane lane : lanes) {
        lanesDone.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < seeds.size(); i = next.getAndIncrement()) {
            record(new InterleavingRun(driver, redis, lane, seeds.get(i), strict).execute(), tally, failures);
          }
        }));
      }
      for (Future<?> done : lanesDone) {
        done.get();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("refresh interleaving: %d runs in %.1f s on %d lanes, %d failed (n/Rr: n times in R runs)"
        + " | %s%n", tally.runs(), (System.nanoTime() - started) / 1e9, LANES, failures.size(), tally.line());
    assertTrue(failures.isEmpty(), () -> failures.size() + " run(s) broke an invariant; the first ones:\n"
        + String.join("\n", failures.subList(0, Math.min(MAX_REPORTED_FAILURES, failures.size()))));
    assertEquals(seeds.size(), tally.runs(), "every run ran");
    return tally;
  }

  private static void record(InterleavingRun.Outcome outcome, PathTally tally, List<String> failures) {
    tally.add(outcome.paths());
    if (!outcome.violations().isEmpty()) {
      failures.add(outcome.report());
    } else if (SHOW != null && outcome.paths().containsKey(SHOW) && SHOWN.getAndIncrement() < 3) {
      System.out.println(outcome.report());
    }
  }

  private static List<Long> repeated(long seed) {
    return Collections.nCopies(Integer.getInteger("mallgate.interleave.repeat", 20), seed);
  }

  private static List<Long> batch() {
    long base = baseSeed(System.getProperty("mallgate.seed", System.getProperty("mallgate.interleave.baseSeed")));
    System.out.println("refresh interleaving: base seed " + base + " (-Dmallgate.seed=" + base
        + " replays this batch's plans)");
    SplittableRandom random = new SplittableRandom(base);
    List<Long> seeds = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      seeds.add(random.nextLong());
    }
    return seeds;
  }

  /** {@code null}: the fixed default; {@code random}: a new seed from the clock; otherwise the number given. */
  static long baseSeed(String property) {
    if (property == null || property.isBlank()) {
      return DEFAULT_BASE_SEED;
    }
    return "random".equalsIgnoreCase(property.trim()) ? System.nanoTime() : Long.parseLong(property.trim());
  }

  /** The batch really explored the interesting interleavings, not only the happy path. */
  private static void assertExplored(PathTally tally) {
    for (String path : List.of("end.current", "run.certain", "lease.overrun", "instance.stopped",
        "exchange.no_answer", "exchange.invalid_grant", "exchange.http_503", "refresher.refreshed",
        "call.token_refresh_unavailable", "call.mall_reauthorization_required")) {
      assertTrue(tally.runsWith(path) > 0, "no run took the path " + path);
    }
    assertTrue(tally.runsWithAny("end.marked.") > 0, "no run ended with the mall marked");
  }
}
