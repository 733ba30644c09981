package io.mallgate.keepalive;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Fault;
import io.mallgate.testsupport.FaultProxy;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenStore;
import io.mallgate.token.crypto.TokenCodecs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway instances on one (dedicated) Redis, sharing a clock the test moves with the simulated Cafe24: 13 idle
 * days pass in an instant. The first instance reaches Redis through a {@link FaultProxy}, deploys first and so leads;
 * the last test cuts it off to show another instance takes over once the lease runs out.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Slow
class KeepAliveClusterTest {

  private static final Duration LEASE = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  static RedisServer redis;
  static FaultProxy proxy;
  static MutableClock clock;
  static GatewayFixture fixture;
  static TokenStore store;
  static final List<RunningGateway> instances = new ArrayList<>();

  @BeforeAll
  static void start() {
    redis = RedisServer.dedicated();
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false).withClock(clock));
    proxy = result(FaultProxy.start(fixture.vertx, "127.0.0.1", redis.port()));
    instances.add(fixture.deploy(config("redis://127.0.0.1:" + proxy.port(), 0)));
    await("the first instance leads").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> keepAlive(0).leading());
    instances.add(fixture.deploy(config(redis.url(), 1)));
    instances.add(fixture.deploy(config(redis.url(), 2)));
    GatewayConfig config = config(redis.url(), 9).build();
    store = new RedisTokenStore(new RedisCommands(RedisClientFactory.create(fixture.vertx, config.redis()),
        Duration.ofSeconds(2)), TokenCodecs.from(config.tokens()));
  }

  @AfterAll
  static void stop() {
    proxy.clear();
    fixture.close();
    proxy.close();
    redis.close();
  }

  private static TestConfig config(String redisUrl, int n) {
    return fixture.config(redisUrl, dir.resolve("g" + n))
        .set("redis.commandTimeout", "500ms")
        .set("keepalive.enabled", true)
        .set("keepalive.interval", "1s")
        .set("keepalive.jitter", "100ms")
        .set("keepalive.leaderLease", LEASE.toMillis() + "ms");
  }

  private static KeepAlive keepAlive(int instance) {
    return instances.get(instance).gateway().keepAlive();
  }

  /** Installs a simulator pair whose refresh token the gateway believes lapses at {@code refreshExpiresAt}. */
  private static void install(String mall, Instant refreshExpiresAt) {
    JsonObject tokens = fixture.simulator.issueTokens(mall);
    fixture.install(instances.get(1), mall,
        tokens.copy().put("refresh_token_expires_at", Cafe24Time.format(refreshExpiresAt)));
  }

  private static long scans(int instance) {
    return keepAlive(instance).scans();
  }

  @Test
  @Order(1)
  void should_refresh_an_idle_mall_once_cluster_wide_when_13_days_passed() {
    Instant start = clock.instant();
    String idle = "ka-idle";
    String recent = "ka-recent";
    String marked = "ka-marked";
    install(idle, start.plus(Duration.ofDays(14)));
    install(recent, start.plus(Duration.ofDays(23))); // 10 days left once 13 have passed
    install(marked, start.plus(Duration.ofDays(14)));
    TokenRecord markedRecord = result(store.get(marked));
    result(store.markReauthorizationRequired(marked, markedRecord.version(),
        new TokenRecord.Reauthorization("invalid_grant", "test", start)));
    int reuse = fixture.simulator.refreshReuseCount();

    clock.advance(Duration.ofDays(13));
    await("the idle mall is refreshed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> fixture.simulator.refreshCount(idle) > 0);
    long scansAfter = scans(0);
    await("three more scans").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> scans(0) >= scansAfter + 3);

    assertEquals(1, fixture.simulator.refreshCount(idle));
    assertEquals(0, fixture.simulator.refreshCount(recent));
    assertEquals(0, fixture.simulator.refreshCount(marked));
    assertEquals(reuse, fixture.simulator.refreshReuseCount());
    TokenResponse stored = result(store.get(idle)).tokens();
    assertEquals(fixture.simulator.latestRefreshToken(idle), stored.refreshToken());
    assertEquals(clock.instant().plus(Duration.ofDays(14)), stored.refreshTokenExpiresAt());
    assertEquals(0, scans(1) + scans(2), "only the leader scans");
    // The soonest lapse is now the recent mall's (the marked one does not count), in the leader's metrics only.
    String gauge = fixture.get(instances.get(0), "/metrics").bodyAsString().lines()
        .filter(line -> line.startsWith("mallgate_refresh_token_min_left_seconds ")).findFirst().orElseThrow();
    assertEquals(Duration.ofDays(10).toSeconds(), Double.parseDouble(gauge.substring(gauge.indexOf(' ') + 1)));
    assertTrue(Double.isNaN(keepAlive(1).refreshTokenMinSecondsLeft()));
    assertTrue(fixture.get(instances.get(0), "/metrics").bodyAsString().lines()
        .anyMatch(line -> line.startsWith("mallgate_malls_reauthorization_required ") && !line.endsWith(" 0.0")
            && !line.endsWith("NaN")), "the marked mall is counted by the leader");
    assertTrue(Double.isNaN(keepAlive(1).mallsNeedingReauthorization()));
    assertFalse(keepAlive(1).leading() || keepAlive(2).leading());
  }

  @Test
  @Order(2)
  void should_take_over_after_the_lease_when_the_leader_is_cut_off_from_redis() {
    long before1 = scans(1);
    long before2 = scans(2);
    proxy.set(Fault.blackHole());
    long cut = System.nanoTime();
    await("another instance leads").atMost(LEASE.multipliedBy(4)).pollInterval(Duration.ofMillis(20))
        .until(() -> keepAlive(1).leading() || keepAlive(2).leading());
    Duration takeover = Duration.ofNanos(System.nanoTime() - cut);
    assertFalse(keepAlive(0).leading(), "the cut-off leader stepped down");
    assertTrue(takeover.compareTo(LEASE.multipliedBy(9).dividedBy(10)) >= 0, "not before the lease: " + takeover);
    assertTrue(keepAlive(1).leading() != keepAlive(2).leading(), "exactly one new leader");

    String idle = "ka-after-takeover";
    install(idle, clock.instant().plus(Duration.ofDays(1)));
    await("the new leader refreshes").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> fixture.simulator.refreshCount(idle) > 0);
    assertEquals(1, fixture.simulator.refreshCount(idle));
    int leader = keepAlive(1).leading() ? 1 : 2;
    assertTrue(scans(leader) > (leader == 1 ? before1 : before2));
  }
}
