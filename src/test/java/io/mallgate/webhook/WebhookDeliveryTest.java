package io.mallgate.webhook;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.webhook.WebhookTestSupport.event;
import static io.mallgate.webhook.WebhookTestSupport.post;
import static io.mallgate.webhook.WebhookTestSupport.xlen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable before acknowledged, once across instances, and the app lifecycle acting on every instance's cache. */
@Timeout(90)
class WebhookDeliveryTest {

  static final String HEADER = "X-API-Key";
  static final String KEY = TestConfig.WEBHOOK_API_KEY;

  @TempDir
  Path dir;

  private TestConfig config(GatewayFixture fixture, String redisUrl, String name, String stream) {
    return fixture.config(redisUrl, dir.resolve(name)).set("webhook.stream", stream);
  }

  @Test
  void should_record_one_entry_when_the_same_event_arrives_5_times_at_once_on_2_instances() {
    String stream = "test:webhooks:{dedup-" + System.nanoTime() + "}";
    String url = RedisServer.shared().url();
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      List<RunningGateway> both = List.of(fixture.deploy(config(fixture, url, "1", stream)),
          fixture.deploy(config(fixture, url, "2", stream)));
      byte[] body = event(90023, "dedup", ",\"order_id\":\"o-1\"");
      List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sends.add(fixture.client.post(both.get(i % 2).port(), "127.0.0.1", "/webhook").putHeader(HEADER, KEY)
            .sendBuffer(Buffer.buffer(body)));
      }
      Map<String, Integer> outcomes = new TreeMap<>();
      for (HttpResponse<Buffer> response : result(Future.all(sends)).<HttpResponse<Buffer>>list()) {
        assertEquals(200, response.statusCode(), response.bodyAsString());
        outcomes.merge(response.bodyAsJsonObject().getString("status"), 1, Integer::sum);
      }
      assertEquals(Map.of("accepted", 1, "duplicate", 4), outcomes);
      assertEquals(1, xlen(fixture.vertx, url, stream));
    }
  }

  @Test
  void should_answer_503_and_acknowledge_nothing_when_redis_is_down() {
    String stream = "test:webhooks:outage";
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults());
        RedisServer redis = RedisServer.dedicated()) {
      RunningGateway gateway = fixture.deploy(config(fixture, redis.url(), "1", stream)
          .set("redis.commandTimeout", "300ms"));
      byte[] body = event(90023, "outage", "");
      redis.stop();
      HttpResponse<Buffer> down = post(fixture, gateway, "/webhook", body, HEADER, KEY);
      assertEquals(503, down.statusCode(), down.bodyAsString());
      assertEquals("webhook_store_unavailable", down.getHeader("X-Mallgate-Error"));
      redis.start();
      HttpResponse<Buffer> resent = post(fixture, gateway, "/webhook", body, HEADER, KEY);
      assertEquals("accepted", resent.bodyAsJsonObject().getString("status"), "the resend is not a duplicate");
      assertEquals(1, xlen(fixture.vertx, redis.url(), stream));
      assertEquals(1, gateway.gateway().webhookCounters().storeFailureCount());
    }
  }

  @Test
  void should_refuse_calls_on_every_instance_when_the_app_is_deleted_until_a_token_is_imported() {
    String url = RedisServer.shared().url();
    String mall = "lifecycle-" + System.nanoTime() % 100000;
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      RunningGateway one = fixture.deploy(config(fixture, url, "1", "test:webhooks:lifecycle"));
      RunningGateway two = fixture.deploy(config(fixture, url, "2", "test:webhooks:lifecycle"));
      fixture.install(one, mall);
      String products = "/malls/" + mall + "/api/v2/admin/products";
      assertEquals(200, fixture.get(two, products).statusCode(), "instance two caches the token");

      byte[] deleted = event(90077, mall, ",\"nonce\":\"" + System.nanoTime() + "\"");
      assertEquals(200, post(fixture, one, "/webhook", deleted, HEADER, KEY).statusCode());
      for (RunningGateway gateway : List.of(one, two)) {
        HttpResponse<Buffer> refused = fixture.get(gateway, products);
        assertEquals(401, refused.statusCode(), refused.bodyAsString());
        assertEquals("mall_reauthorization_required", refused.getHeader("X-Mallgate-Error"));
        assertTrue(refused.bodyAsString().contains("app_deleted")
            && refused.bodyAsString().contains("/oauth/install?mall_id=" + mall), refused.bodyAsString());
      }
      assertEquals(1, one.gateway().webhookCounters().appRemovalCount());

      HttpResponse<Buffer> imported = result(fixture.client.put(two.port(), "127.0.0.1",
              "/admin/malls/" + mall + "/token").putHeader("Authorization", "Bearer " + TestConfig.ADMIN_TOKEN)
          .sendJsonObject(fixture.simulator.issueTokens(mall)));
      assertEquals(200, imported.statusCode(), imported.bodyAsString());
      assertEquals(200, fixture.get(one, products).statusCode(), "the import cleared the mark everywhere");
      assertEquals(200, post(fixture, one, "/webhook", deleted, HEADER, KEY).statusCode());
      assertEquals(200, fixture.get(two, products).statusCode(), "a resent old event does not mark it again");
    }
  }

  @Test
  void should_keep_the_same_semantics_in_an_append_only_file_when_there_is_no_redis() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false))) {
      TestConfig embedded = fixture.config("", dir.resolve("embedded"));
      RunningGateway gateway = fixture.deploy(embedded);
      String mall = "embedded-shop";
      fixture.install(gateway, mall);
      byte[] expired = event(90078, mall, "");
      assertEquals("accepted", post(fixture, gateway, "/webhook", expired, HEADER, KEY)
          .bodyAsJsonObject().getString("status"));
      assertEquals(403, post(fixture, gateway, "/webhook", expired, HEADER, "wrong").statusCode());
      assertEquals("mall_reauthorization_required",
          fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products").getHeader("X-Mallgate-Error"));
      result(gateway.stop());

      RunningGateway restarted = fixture.deploy(embedded);
      assertEquals("duplicate", post(fixture, restarted, "/webhook", expired, HEADER, KEY)
          .bodyAsJsonObject().getString("status"), "the window outlives a restart");
      List<String> lines = io.mallgate.testsupport.SqliteFile.column(dir.resolve("embedded").resolve("mallgate.db"),
          "SELECT fields FROM webhooks");
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(lines.get(0).contains("\"event_no\":\"90078\""), lines.get(0));
    }
  }
}
