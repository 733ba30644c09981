package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mallgate.sandbox.RecordedRequest;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, point 3: callers name themselves with {@code X-Mallgate-App}. The name is checked at the admit step
 * (the mall-id rule, {@code other} reserved) before anything records it, is written on the access line, is never
 * sent to Cafe24 (read from what the simulator received), and {@code proxy.requireApp} makes it mandatory.
 */
@Timeout(60)
class AppHeaderTest {

  private static final String RULE = "X-Mallgate-App must be one name of 1-63 lowercase letters, digits or hyphens, "
      + "not starting or ending with a hyphen, and not 'other'";

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway open;
  static RunningGateway strict;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    open = fixture.deploy(fixture.config("", dir.resolve("open")).set("malls.allow", List.of("appshop")));
    strict = fixture.deploy(fixture.config("", dir.resolve("strict")).set("proxy.requireApp", true));
    fixture.install(open, "appshop");
    fixture.install(strict, "appshop");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static HttpResponse<Buffer> call(RunningGateway gateway, String... apps) {
    HttpRequest<Buffer> request = fixture.client.get(gateway.port(), "127.0.0.1",
        "/malls/appshop/api/v2/admin/echo?n=" + System.nanoTime());
    if (apps.length > 0) {
      request.putHeader("X-Mallgate-App", List.of(apps));
    }
    return result(request.send());
  }

  private static List<String> accessLines(LogCapture logs) {
    return logs.lines().stream().filter(line -> line.startsWith("mallgate.access ")).toList();
  }

  /** The access line is written as the response ends, which may trail the caller's read of it by a moment. */
  private static void awaitAccessLine(LogCapture logs, String... parts) {
    await("an access line with " + List.of(parts)).atMost(Duration.ofSeconds(10))
        .until(() -> accessLines(logs).stream().anyMatch(line -> List.of(parts).stream().allMatch(line::contains)));
  }

  @Test
  void should_serve_and_log_the_app_but_never_send_it_to_cafe24_when_the_name_is_valid() {
    try (LogCapture logs = LogCapture.capture()) {
      HttpResponse<Buffer> response = call(open, "orders-sync");

      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertFalse(response.bodyAsJsonObject().getJsonObject("headers").containsKey("x-mallgate-app"),
          "the echo shows what Cafe24 received");
      RecordedRequest upstream = last();
      assertNull(upstream.headers().get("X-Mallgate-App"));
      awaitAccessLine(logs, "mall=appshop app=orders-sync method=GET");
    }
  }

  @Test
  void should_log_a_dash_when_no_app_is_named() {
    try (LogCapture logs = LogCapture.capture()) {
      assertEquals(200, call(open).statusCode());
      awaitAccessLine(logs, "mall=appshop app=- method=GET");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Orders", "orders_sync", "-orders", "orders-", "other", "a b=c",
      "a123456789a123456789a123456789a123456789a123456789a123456789abcd", ""})
  void should_refuse_with_invalid_app_and_echo_nothing_when_the_name_breaks_the_rule(String app) {
    int before = fixture.simulator.requests().size();
    try (LogCapture logs = LogCapture.capture()) {
      HttpResponse<Buffer> response = call(open, app);

      assertEquals(400, response.statusCode());
      assertEquals("invalid_app", response.getHeader("X-Mallgate-Error"));
      assertEquals(RULE, response.bodyAsJsonObject().getJsonObject("error").getString("message"),
          "one fixed message: the value is never echoed");
      awaitAccessLine(logs, " app=- ", "gateway_code=invalid_app");
      if (!app.isEmpty() && !app.equals("other")) {
        assertEquals(List.of(), logs.linesContaining(app), "nor logged");
      }
    }
    assertEquals(before, fixture.simulator.requests().size(), "Cafe24 was not called");
  }

  @Test
  void should_log_the_app_of_a_call_refused_after_its_name_was_checked() {
    try (LogCapture logs = LogCapture.capture()) {
      HttpResponse<Buffer> refused = result(fixture.client.get(open.port(), "127.0.0.1",
          "/malls/notlisted/api/v2/admin/products").putHeader("X-Mallgate-App", "orders-sync").send());

      assertEquals("mall_not_allowed", refused.getHeader("X-Mallgate-Error"));
      awaitAccessLine(logs, "mall=- app=orders-sync method=GET", "gateway_code=mall_not_allowed");
    }
  }

  @Test
  void should_refuse_with_invalid_app_when_the_header_is_sent_twice() {
    HttpResponse<Buffer> response = call(open, "orders-sync", "billing");

    assertEquals(400, response.statusCode());
    assertEquals("invalid_app", response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_refuse_with_app_required_when_require_app_is_on_and_no_app_is_named() {
    int before = fixture.simulator.requests().size();
    HttpResponse<Buffer> refused = call(strict);

    assertEquals(400, refused.statusCode());
    assertEquals("app_required", refused.getHeader("X-Mallgate-Error"));
    assertEquals(400, refused.bodyAsJsonObject().getJsonObject("error").getInteger("code"));
    assertEquals(before, fixture.simulator.requests().size(), "Cafe24 was not called");
    assertEquals(200, call(strict, "orders-sync").statusCode());
  }

  private static RecordedRequest last() {
    List<RecordedRequest> requests = fixture.simulator.requests();
    assertFalse(requests.isEmpty());
    return requests.get(requests.size() - 1);
  }
}
