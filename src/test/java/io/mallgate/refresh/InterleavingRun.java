package io.mallgate.refresh;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisCommands;
import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.TokenEndpointFaults;
import io.mallgate.testsupport.Await;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.token.PlainTokenCodec;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenStore;
import io.mallgate.token.crypto.SealedTokenCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One seeded run: a fresh mall with tokens issued by the simulator, three instances, a few rounds of concurrent
 * {@code refresh(mall, seen)} calls with random seen versions while the token endpoint misbehaves and instances
 * crash, then a quiet end (faults cleared, the simulator settled, one last refresh on a live instance so that a lost
 * rotation is found out), and the {@link RunInvariants}. The seed decides every choice the test makes; the timing of
 * real sockets and event loops adds the rest, so re-running a seed replays its plan, not necessarily every
 * interleaving.
 */
final class InterleavingRun {

  /** A simulator of one's own: runs on one lane go one after another, so its counters belong to one run. */
  record Lane(int number, Cafe24Simulator simulator, GatewayConfig config) {
  }

  /** What a run found: its violations (empty when it kept every invariant), its paths, and a report to print. */
  record Outcome(long seed, List<String> violations, Map<String, Integer> paths, String report) {
  }

  private static final AtomicInteger MALLS = new AtomicInteger();
  private static final int CALL_LIMIT_SECONDS = 30;

  private final Vertx driver;
  private final RedisCommands redis;
  private final Lane lane;
  private final long seed;
  private final boolean strict;
  private final Random random;
  private final RunPlan plan;
  private final RunTrace trace = new RunTrace();
  private final List<RefreshInstance> instances = new ArrayList<>();
  private final List<RefreshInstance> condemned = new ArrayList<>();
  private final List<Future<Void>> stops = new ArrayList<>();
  private final String mall;
  private TokenCodec codec;
  private TokenStore observer;
  private int reuseBefore;

  /** @param strict also hold the product to "no avoidable lockout" ({@link RunInvariants#avoidableLockout}) */
  InterleavingRun(Vertx driver, RedisCommands redis, Lane lane, long seed, boolean strict) {
    this.driver = driver;
    this.redis = redis;
    this.lane = lane;
    this.seed = seed;
    this.strict = strict;
    this.random = new Random(seed);
    this.plan = RunPlan.draw(random);
    this.mall = "ilv-" + ProcessHandle.current().pid() % 100_000 + "-" + MALLS.incrementAndGet();
  }

  Outcome execute() {
    List<String> violations = new ArrayList<>();
    try {
      setUp();
      for (int round = 1; round <= plan.rounds(); round++) {
        round(round);
      }
      violations.addAll(quiesceAndCheck());
    } catch (RuntimeException | AssertionError e) {
      violations.add("the run could not finish: " + e);
    } finally {
      tearDown();
    }
    return new Outcome(seed, violations, paths(violations), report(violations));
  }

  private void setUp() {
    codec = plan.sealed() ? new SealedTokenCodec(List.of(Secret.of(TestConfig.TOKEN_KEY))) : new PlainTokenCodec();
    observer = new PausingTokenStore(new RedisTokenStore(redis, codec), Pauses.none(), trace, "test");
    reuseBefore = lane.simulator().refreshReuseCount();
    trace.event("test", "seed " + seed + ", mall " + mall + ": " + plan);
    TokenResponse issued = TokenResponse.fromJson(lane.simulator().issueTokens(mall));
    trace.event("test", "issued");
    Await.result(observer.put(mall, issued));
    for (int i = 0; i < 3; i++) {
      startInstance();
    }
  }

  private void startInstance() {
    instances.add(new RefreshInstance("i" + instances.size(), lane.config(), codec, plan.instance(random),
        new Random(random.nextLong()), trace));
  }

  private void round(int number) {
    trace.event("test", "--- round " + number);
    programFaults();
    if (number > 1 && instances.stream().anyMatch(RefreshInstance::stopped)
        && random.nextDouble() < plan.restartChance()) {
      startInstance();
    }
    long current = Await.result(observer.get(mall)).version();
    List<Future<Void>> calls = new ArrayList<>();
    int count = 1 + random.nextInt(plan.maxCalls());
    for (int i = 0; i < count; i++) {
      List<RefreshInstance> running = instances.stream().filter(instance -> !instance.stopped()).toList();
      RefreshInstance on = running.get(random.nextInt(running.size()));
      calls.add(on.refresh(mall, seen(current), random.nextInt(plan.staggerMillis() + 1)));
    }
    plan.stopRounds().stream().filter(round -> round == number).forEach(round -> scheduleStop());
    try {
      Await.result(Future.join(calls), CALL_LIMIT_SECONDS);
    } catch (IllegalStateException hung) {
      throw new AssertionError("a refresh on a live instance did not complete within " + CALL_LIMIT_SECONDS + " s");
    }
  }

  private long seen(long current) {
    double roll = random.nextDouble();
    return roll < 0.6 ? current : roll < 0.85 ? current - 1 : Math.max(0, current - 1 - random.nextInt(3));
  }

  private void programFaults() {
    TokenEndpointFaults faults = lane.simulator().faults().clear();
    long deadline = plan.deadlineMillis();
    List<String> programmed = new ArrayList<>();
    for (int i = random.nextInt(plan.maxFaults() + 1); i > 0; i--) {
      switch (random.nextInt(5)) {
        case 0 -> programmed.add("slow " + delay(faults, deadline + 1 + (long) (deadline * 1.5 * random.nextDouble())));
        case 1 -> programmed.add("delay " + delay(faults, (long) (deadline * 0.8 * random.nextDouble())));
        case 2 -> programmed.add(fail(faults, 503));
        case 3 -> programmed.add(fail(faults, random.nextBoolean() ? 500 : 502));
        default -> {
          faults.loseNextResponses(1);
          programmed.add("lose");
        }
      }
    }
    if (random.nextDouble() < 0.15) {
      long all = (long) (deadline * 0.5 * random.nextDouble());
      faults.delayAll(Duration.ofMillis(all));
      programmed.add("all +" + all + " ms");
    }
    trace.event("test", "token endpoint faults: " + (programmed.isEmpty() ? "none" : programmed));
  }

  private static String delay(TokenEndpointFaults faults, long millis) {
    faults.delayNext(1, Duration.ofMillis(millis));
    return millis + " ms";
  }

  private static String fail(TokenEndpointFaults faults, int status) {
    faults.failNext(1, status);
    return String.valueOf(status);
  }

  private void scheduleStop() {
    List<RefreshInstance> candidates = instances.stream()
        .filter(instance -> !instance.stopped() && !condemned.contains(instance)).toList();
    if (candidates.size() < 2) {
      return; // one instance stays up for the final refresh
    }
    RefreshInstance victim = candidates.get(random.nextInt(candidates.size()));
    condemned.add(victim);
    Promise<Void> stopped = Promise.promise();
    driver.setTimer(1 + random.nextInt(plan.staggerMillis() + 2 * (int) plan.deadlineMillis()),
        fired -> victim.stop().onComplete(closed -> stopped.complete()));
    stops.add(stopped.future());
  }

  private List<String> quiesceAndCheck() {
    trace.event("test", "--- quiesce");
    Await.result(Future.join(stops), CALL_LIMIT_SECONDS);
    lane.simulator().faults().clear();
    Await.result(driver.timer(20));
    Await.result(lane.simulator().faults().settled(), CALL_LIMIT_SECONDS);
    TokenRecord before = Await.result(observer.get(mall));
    if (!before.reauthorizationRequired()
        && !before.tokens().refreshToken().equals(lane.simulator().latestRefreshToken(mall))) {
      trace.event("test", "the stored token is not the last one issued: the final refresh must find out");
      trace.count("end.lost_rotation_to_discover");
    }
    finalRefresh(before.version());
    Await.result(lane.simulator().faults().settled(), CALL_LIMIT_SECONDS);
    TokenRecord end = Await.result(observer.get(mall));
    String latest = lane.simulator().latestRefreshToken(mall);
    int reuse = lane.simulator().refreshReuseCount() - reuseBefore;
    trace.event("test", "end: last issued " + trace.label(latest) + ", " + reuse + " reuse(s) seen by Cafe24");
    countEnd(end, reuse);
    if (RunInvariants.avoidableLockout(trace, end, latest)) {
      trace.count("end.avoidable_lockout");
    }
    return RunInvariants.check(trace, lane.simulator(), end, latest, reuse, strict);
  }

  /** A live instance refreshes with the stored version as seen, trying again while the lock or store is busy. */
  private void finalRefresh(long seen) {
    for (int attempt = 1; attempt <= 8; attempt++) {
      List<RefreshInstance> running = instances.stream().filter(instance -> !instance.stopped()).toList();
      try {
        Await.result(running.get(random.nextInt(running.size())).refreshNow(mall, seen), CALL_LIMIT_SECONDS);
        return;
      } catch (GatewayFailure failure) {
        if (failure.code() != ErrorCode.TOKEN_REFRESH_UNAVAILABLE
            && failure.code() != ErrorCode.TOKEN_STORE_UNAVAILABLE) {
          return;
        }
      }
      Await.result(driver.timer(100));
    }
    throw new AssertionError("the final refresh did not get through in 8 tries on a quiet system");
  }

  private void countEnd(TokenRecord end, int reuse) {
    trace.count(end.reauthorizationRequired() ? "end.marked." + end.reauthorization().reason() : "end.current");
    if (trace.uncertainty().isEmpty()) {
      trace.count("run.certain");
    }
    if (reuse > 0) {
      trace.count("cafe24.reuse");
    }
  }

  private void tearDown() {
    List<Future<Void>> closing = new ArrayList<>();
    instances.forEach(instance -> closing.add(instance.close()));
    try {
      Await.result(Future.join(closing), CALL_LIMIT_SECONDS);
      lane.simulator().faults().clear();
      Await.result(lane.simulator().faults().settled(), CALL_LIMIT_SECONDS);
      if (observer != null) {
        Await.result(observer.delete(mall));
      }
    } catch (RuntimeException cleanupFailed) {
      trace.event("test", "clean-up failed: " + cleanupFailed);
    }
  }

  private Map<String, Integer> paths(List<String> violations) {
    Map<String, Integer> paths = new HashMap<>(trace.paths());
    paths.put(violations.isEmpty() ? "run.passed" : "run.failed", 1);
    return paths;
  }

  private String report(List<String> violations) {
    return "interleaving run " + (violations.isEmpty() ? "passed" : "FAILED") + ", seed " + seed
        + " (lane " + lane.number() + ", mall " + mall + ")\n"
        + "  re-run: mvn -B -q test -Dtest=RefreshInterleavingTest -Dmallgate.interleave.seed=" + seed
        + (strict ? " -Dmallgate.interleave.strict=true" : "") + "\n"
        + "  plan: " + plan + "\n"
        + "  uncertainty: " + trace.uncertainty() + "\n"
        + (violations.isEmpty() ? "" : "  violations:\n    - " + String.join("\n    - ", violations) + "\n")
        + "  trace:\n" + trace.timeline(200);
  }
}
