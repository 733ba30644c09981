package io.mallgate.webhook.fanout;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.fanout.FanoutTest.event;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.GatewayProcess;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the embedded store, proven: a gateway in its own JVM is killed with SIGKILL while webhooks are being
 * accepted and fanned out; after a restart on the same database, every webhook it acknowledged with a 200 reaches the
 * subscriber (at least once) and every installed mall still serves.
 */
@Slow
@Timeout(180)
class EmbeddedCrashTest {

  private static final int MALLS = 5;
  private static final int SENDERS = 8;

  @TempDir
  Path dir;

  @Test
  void should_deliver_every_acknowledged_webhook_and_keep_every_mall_when_the_gateway_is_killed() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        TestSubscriber target = new TestSubscriber(fixture.vertx)) {
      target.delay(20); // slower than the senders: a batch is in flight and events are pending when the kill lands
      int port = TestConfig.freePort();
      TestConfig config = fixture.config("", dir.resolve("store")).set("server.port", port)
          .set("webhook.subscribers", Map.of("orders", Map.of("url", target.url(), "timeout", "1s")))
          .set("webhook.delivery", Map.of("pollInterval", "50ms", "batchSize", 100, "backoff", "100ms",
              "maxBackoff", "400ms"));
      List<String> malls = IntStream.range(0, MALLS).mapToObj(i -> "crash" + i).toList();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      int killedAfter;
      try (GatewayProcess first = GatewayProcess.start(config, port, Files.createDirectories(dir.resolve("one")))) {
        for (String mall : malls) {
          HttpResponse<Buffer> put = result(fixture.client.put(port, "127.0.0.1", "/admin/malls/" + mall + "/token")
              .putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN)
              .sendJsonObject(fixture.simulator.issueTokens(mall)));
          assertEquals(200, put.statusCode(), put.bodyAsString());
        }
        List<Thread> senders = IntStream.range(0, SENDERS)
            .mapToObj(n -> new Thread(() -> send(fixture, port, n, acknowledged), "sender-" + n)).toList();
        senders.forEach(Thread::start);
        await("webhooks accepted and some delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> acknowledged.size() >= 200 && !target.accepted.isEmpty());
        first.close(); // SIGKILL, while the senders still send and the fan-out still delivers
        killedAfter = acknowledged.size();
        first.awaitExit(30);
        for (Thread sender : senders) {
          sender.join(TimeUnit.SECONDS.toMillis(30));
        }
      }
      int deliveredBefore = target.accepted.size();
      try (GatewayProcess second = GatewayProcess.start(config, port, Files.createDirectories(dir.resolve("two")))) {
        await("every acknowledged webhook delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
            .until(() -> target.accepted.keySet().containsAll(acknowledged));
        long again = target.accepted.values().stream().filter(count -> count.get() > 1).count();
        System.out.printf("kill -9 of the embedded gateway: %d webhooks acknowledged (%d when killed), %d delivered "
            + "before the kill, all %d after the restart, %d delivered twice (at least once), %d malls serving%n",
            acknowledged.size(), killedAfter, deliveredBefore, acknowledged.size(), again, MALLS);
        for (String mall : malls) {
          assertEquals(200, result(fixture.client.get(port, "127.0.0.1", "/malls/" + mall + "/api/v2/admin/products")
              .send()).statusCode(), mall + " serves after the crash");
        }
        assertTrue(acknowledged.size() >= 200);
      }
    }
  }

  /** Posts webhooks until the gateway stops answering; records the id of each one acknowledged with a 200. */
  private static void send(GatewayFixture fixture, int port, int sender, Set<String> acknowledged) {
    for (int i = 0; ; i++) {
      byte[] body = event(90023, "{\"n\":\"s" + sender + "-" + i + "\"}");
      Future<HttpResponse<Buffer>> sent = fixture.client.post(port, "127.0.0.1", "/webhook")
          .putHeader("x-api-key", TestConfig.WEBHOOK_API_KEY).timeout(5000).sendBuffer(Buffer.buffer(body));
      try {
        HttpResponse<Buffer> response = result(sent);
        if (response.statusCode() == 200) {
          acknowledged.add(response.bodyAsJsonObject().getString("id"));
        }
      } catch (RuntimeException | AssertionError gone) {
        return; // killed: this one was never acknowledged, so Cafe24 would send it again
      }
    }
  }
}
