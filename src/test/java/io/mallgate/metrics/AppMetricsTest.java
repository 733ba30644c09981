package io.mallgate.metrics;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code app} label (issue 17, point 3) on a real gateway: the first {@code metrics.maxApps} names get their own
 * value, later ones {@code other}, calls without {@code X-Mallgate-App} {@code -}; the tries sent to Cafe24, retries
 * included, are counted per app.
 */
@Timeout(60)
class AppMetricsTest {

  @TempDir
  Path dir;

  private static HttpResponse<Buffer> call(GatewayFixture fixture, RunningGateway gateway, String path, String app) {
    HttpRequest<Buffer> request = fixture.client.get(gateway.port(), "127.0.0.1", "/malls/appmall/api/v2/admin" + path);
    if (app != null) {
      request.putHeader("X-Mallgate-App", app);
    }
    return result(request.send());
  }

  @Test
  void should_label_the_first_apps_and_fold_the_rest_into_other_when_more_than_max_apps_call() {
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
        LogCapture log = LogCapture.capture()) {
      // Cafe24 says "too many" once (with a wait of 0 s, so the GET is retried at once), then serves.
      AtomicInteger busy = new AtomicInteger();
      fixture.simulator.adminRoute("/busy-once").handler(ctx -> {
        if (busy.getAndIncrement() == 0) {
          ctx.response().setStatusCode(429).putHeader("Retry-After", "0").putHeader("X-Api-Call-Limit", "40/40")
              .end("{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}");
        } else {
          ctx.response().putHeader("Content-Type", "application/json").end("{}");
        }
      });
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("g")).set("metrics.maxApps", 2));
      fixture.install(gateway, "appmall");

      assertEquals(200, call(fixture, gateway, "/products", "orders").statusCode());
      assertEquals(200, call(fixture, gateway, "/products", "orders").statusCode());
      assertEquals(200, call(fixture, gateway, "/busy-once", "billing").statusCode());
      assertEquals(200, call(fixture, gateway, "/products", "reports").statusCode());
      assertEquals(200, call(fixture, gateway, "/products", "exports").statusCode());
      assertEquals(200, call(fixture, gateway, "/products", null).statusCode());

      // A request is counted as it ends on its event loop, which may be a moment after its caller has the answer (and
      // the scrape may be served by another loop): wait for the six access lines, which come after the counts.
      await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream()
          .filter(line -> line.startsWith("mallgate.access") && line.contains("path=/malls/appmall/")).count() == 6);
      HttpResponse<Buffer> response = fixture.get(gateway, "/metrics");
      Scrape scrape = new Scrape(response.bodyAsString());
      assertEquals(2.0, scrape.value("mallgate_requests_total", "app=orders", "status_class=2xx"));
      assertEquals(1.0, scrape.value("mallgate_requests_total", "app=billing", "status_class=2xx"));
      assertEquals(2.0, scrape.value("mallgate_requests_total", "app=other", "status_class=2xx"));
      assertEquals(1.0, scrape.value("mallgate_requests_total", "app=-", "status_class=2xx"), "no header");
      assertFalse(scrape.body().contains("reports") || scrape.body().contains("exports"), "beyond maxApps: other");
      assertEquals(2.0, scrape.value("mallgate_cafe24_calls_total", "app=orders"));
      assertEquals(2.0, scrape.value("mallgate_cafe24_calls_total", "app=billing"), "the 429 and its retry");
      assertEquals(2.0, scrape.value("mallgate_cafe24_calls_total", "app=other"));
      assertEquals(1.0, scrape.value("mallgate_cafe24_calls_total", "app=-"));
      assertEquals(0.0, scrape.value("mallgate_cafe24_throttled_total"), "retried away: no 429 reached a caller");
    }
  }
}
