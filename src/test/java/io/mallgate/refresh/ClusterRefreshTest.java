package io.mallgate.refresh;

import static io.mallgate.testsupport.GatewayFixture.expiringAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisCluster;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Storm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm and the 401 storm with the gateway instances on a Redis Cluster of three masters started from
 * {@code redis-server} processes: every mall's keys carry the mall as a hash tag, so each script touches one slot,
 * and token announcements reach every instance whichever master they subscribed on.
 */
@Timeout(120)
class ClusterRefreshTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static List<RunningGateway> instances = new ArrayList<>();

  @BeforeAll
  static void start() {
    RedisCluster cluster = RedisCluster.shared();
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    for (int i = 0; i < 3; i++) {
      instances.add(fixture.deploy(fixture.config(cluster.urls().get(0), dir.resolve("g" + i))
          .set("redis.type", "cluster")
          .set("redis.endpoints", cluster.urls().subList(1, cluster.urls().size()))
          .set("tokens.refreshWait", "20s")
          // Against a Cluster every command takes a pooled connection to each master, so a cold-cache storm of 200
          // per instance queues behind the pool (RedisCommands' gate); on a loaded 2-core machine the tail waits
          // seconds. The deadline is not what this test proves: exactly one redemption is.
          .set("redis.commandTimeout", "10s")));
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_redeem_once_when_600_requests_over_3_instances_on_a_cluster_meet_an_expired_token() {
    String mall = "cluster-storm-" + ProcessHandle.current().pid();
    JsonObject tokens = fixture.simulator.issueTokens(mall);
    fixture.install(instances.get(0), mall, expiringAt(tokens, Instant.now().minusSeconds(60)));
    int reuse = fixture.simulator.refreshReuseCount();

    assertEquals(Map.of(200, 600),
        Storm.get(fixture.client, instances, "/malls/" + mall + "/api/v2/admin/products", 600));
    assertEquals(1, fixture.simulator.refreshCount(mall));
    assertEquals(reuse, fixture.simulator.refreshReuseCount());
  }

  @Test
  void should_refresh_once_when_cafe24_revokes_the_access_token_on_a_cluster() {
    String mall = "cluster-revoked-" + ProcessHandle.current().pid();
    fixture.install(instances.get(0), mall);
    for (RunningGateway instance : instances) {
      assertEquals(200, fixture.get(instance, "/malls/" + mall + "/api/v2/admin/products").statusCode());
    }
    fixture.simulator.revokeAccessTokens(mall);

    assertEquals(Map.of(200, 300),
        Storm.get(fixture.client, instances, "/malls/" + mall + "/api/v2/admin/products", 300));
    assertEquals(1, fixture.simulator.refreshCount(mall));
    // Every instance now holds the new token: no further 401, no further refresh.
    assertEquals(Map.of(200, 30),
        Storm.get(fixture.client, instances, "/malls/" + mall + "/api/v2/admin/products", 30));
    assertEquals(1, fixture.simulator.refreshCount(mall));
  }
}
