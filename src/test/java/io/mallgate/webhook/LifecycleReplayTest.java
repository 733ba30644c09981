package io.mallgate.webhook;

import static io.mallgate.webhook.WebhookTestSupport.event;
import static io.mallgate.webhook.WebhookTestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Await;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A captured 90077 or 90078, replayed after {@code webhook.dedupWindow} has forgotten it, is still the old event: a
 * mall installed again since keeps serving, on Redis and in the embedded mode, and after a restart of the latter.
 */
@Timeout(60)
class LifecycleReplayTest {

  private static final String WINDOW = "300ms";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis", "embedded"})
  void should_change_nothing_when_a_lifecycle_event_is_replayed_after_a_reinstall(String backend) {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      String redis = backend.equals("redis") ? RedisServer.shared().url() : "";
      TestConfig config = fixture.config(redis, dir).set("webhook.dedupWindow", WINDOW)
          .set("webhook.stream", "test:webhooks:{replay-" + System.nanoTime() + "}");
      RunningGateway gateway = fixture.deploy(config);
      String mall = "replayed-" + System.nanoTime() % 1_000_000;
      fixture.install(gateway, mall);
      byte[] deleted = event(90077, mall, ",\"captured\":\"yes\"");

      assertEquals("accepted", deliver(fixture, gateway, deleted));
      assertEquals(401, call(fixture, gateway, mall).statusCode(), "the real event stops the mall");
      fixture.install(gateway, mall); // the merchant installs the app again
      assertEquals(200, call(fixture, gateway, mall).statusCode());

      // Past the de-duplication window the replay is accepted as an event again...
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .until(() -> deliver(fixture, gateway, deleted).equals("accepted"));
      // ...but it is the old one: the reinstalled mall still serves.
      assertEquals(200, call(fixture, gateway, mall).statusCode(), "a replayed 90077 locked out a reinstalled mall");

      if (backend.equals("embedded")) {
        // The first sightings outlive a restart of the single instance.
        Await.result(gateway.stop());
        RunningGateway again = fixture.deploy(config);
        deliver(fixture, again, deleted);
        assertEquals(200, call(fixture, again, mall).statusCode(), "replayed after a restart");
      }
    }
  }

  private static String deliver(GatewayFixture fixture, RunningGateway gateway, byte[] body) {
    HttpResponse<Buffer> response = post(fixture, gateway, "/webhook", body, "X-API-Key", TestConfig.WEBHOOK_API_KEY);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getString("status");
  }

  private static HttpResponse<Buffer> call(GatewayFixture fixture, RunningGateway gateway, String mall) {
    return fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products");
  }
}
