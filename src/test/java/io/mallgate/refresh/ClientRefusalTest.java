package io.mallgate.refresh;

import static io.mallgate.testsupport.Await.result;
import static io.mallgate.testsupport.GatewayFixture.expiringAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.MutableClock;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals from Cafe24's token endpoint that must never brick a mall by mistake: a wrong client secret (Cafe24 says
 * {@code invalid_grant "Invalid client_secret"}, the error of a dead refresh token), the same refusal at many malls at
 * once, words never seen before; and an operator's refresh that undoes a mark. Each test runs its own gateway on the
 * embedded store, in front of one simulator.
 */
@Timeout(60)
class ClientRefusalTest {

  private static final AtomicInteger MALLS = new AtomicInteger();

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.capture();
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  @AfterEach
  void clearFaults() {
    fixture.simulator.faults().clear();
  }

  private static List<String> newMalls(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + MALLS.incrementAndGet()).toList();
  }

  private static TestConfig config(String store) {
    return fixture.config("", dir.resolve(store));
  }

  /** Installs the mall with an access token that expired a minute before {@code now}: every call needs a refresh. */
  private static void installExpired(RunningGateway gateway, String mall, Instant now) {
    fixture.install(gateway, mall, expiringAt(fixture.simulator.issueTokens(mall), now.minusSeconds(60)));
  }

  private static HttpResponse<Buffer> call(RunningGateway gateway, String mall) {
    return fixture.get(gateway, "/malls/" + mall + "/api/v2/admin/products");
  }

  private static boolean marked(RunningGateway gateway, String mall) {
    return fixture.admin(gateway, HttpMethod.GET, "/admin/malls/" + mall).bodyAsJsonObject()
        .getBoolean("reauthorization_required");
  }

  /** The readiness check {@code id}'s status, and the probe's HTTP status. */
  private static String readiness(RunningGateway gateway, String id) {
    HttpResponse<Buffer> ready = fixture.get(gateway, "/health/ready");
    JsonObject check = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow();
    return ready.statusCode() + " " + check.getString("status");
  }

  private static long alertLines() {
    return logs.lines().stream().filter(line -> line.contains("ALERT token_endpoint_rejects_client")).count();
  }

  private static void assertClientRejected(HttpResponse<Buffer> response) {
    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("cafe24_client_rejected", response.getHeader("X-Mallgate-Error"));
    assertNotNull(response.getHeader("Retry-After"));
    assertFalse(response.bodyAsString().contains("a-typo"), "never the secret");
  }

  @Test
  void should_mark_no_mall_when_the_client_secret_is_wrong_and_serve_every_mall_after_a_restart_with_the_right_one() {
    List<String> malls = newMalls("typo", 4);
    long alertsBefore = alertLines();
    RunningGateway wrong = fixture.deploy(config("typo").set("cafe24.clientSecret", "a-typo"));
    malls.forEach(mall -> installExpired(wrong, mall, Instant.now()));

    malls.forEach(mall -> assertClientRejected(call(wrong, mall)));

    malls.forEach(mall -> assertFalse(marked(wrong, mall), mall + " marked"));
    assertEquals("503 DOWN", readiness(wrong, "cafe24-client"));
    assertEquals(1, wrong.gateway().alerts().sent(), "one alert for the whole gateway");
    assertEquals(1, alertLines() - alertsBefore);
    result(wrong.stop());

    RunningGateway right = fixture.deploy(config("typo"));
    for (String mall : malls) {
      assertEquals(200, call(right, mall).statusCode(), mall + " served without a reinstall");
      assertEquals(1, fixture.simulator.refreshCount(mall), "its refresh token was alive all along");
    }
    assertEquals("200 UP", readiness(right, "cafe24-client"));
  }

  @Test
  void should_hold_refreshes_back_with_backoff_and_probe_at_once_after_a_reload_when_the_client_is_refused() {
    MutableClock clock = new MutableClock(Instant.now());
    TestConfig config = config("backoff").set("cafe24.clientSecret", "a-typo");
    RunningGateway wrong = fixture.deploy(config, clock);
    String mall = newMalls("backoff", 1).get(0);
    installExpired(wrong, mall, clock.instant());

    assertClientRejected(call(wrong, mall));
    int attempts = fixture.simulator.refreshAttempts(mall);
    assertEquals(1, attempts);
    IntStream.range(0, 5).forEach(i -> assertClientRejected(call(wrong, mall)));
    assertEquals(attempts, fixture.simulator.refreshAttempts(mall), "held back: the gateway's clock stands still");

    clock.advance(Duration.ofSeconds(1));
    assertClientRejected(call(wrong, mall));
    assertClientRejected(call(wrong, mall));
    assertEquals(attempts + 1, fixture.simulator.refreshAttempts(mall), "one probe when the backoff ran out");

    wrong.gateway().reload(config.build());
    assertClientRejected(call(wrong, mall));
    assertEquals(attempts + 2, fixture.simulator.refreshAttempts(mall), "a reload lets the next refresh through");
    assertFalse(marked(wrong, mall));
  }

  @Test
  void should_stop_marking_when_refusals_alike_reach_three_malls_within_a_minute_and_undo_a_mark_by_admin_refresh() {
    List<String> malls = newMalls("blast", 5);
    RunningGateway gateway = fixture.deploy(config("blast"));
    malls.forEach(mall -> installExpired(gateway, mall, Instant.now()));
    // Cafe24 refuses every refresh token in a dead token's words, yet redeems nothing: say, a wrong client id.
    fixture.simulator.faults().refuseRefreshes(400, "invalid_grant", "Invalid refresh_token");

    List<Integer> statuses = malls.stream().map(mall -> call(gateway, mall).statusCode()).toList();

    assertEquals(List.of(401, 401, 503, 503, 503), statuses);
    assertTrue(marked(gateway, malls.get(0)) && marked(gateway, malls.get(1)), "the first two looked like bad luck");
    malls.subList(2, 5).forEach(mall -> assertFalse(marked(gateway, mall), mall + " marked past the guard"));
    assertEquals("503 DOWN", readiness(gateway, "cafe24-client"));

    fixture.simulator.faults().clear(); // the fault fixed
    HttpResponse<Buffer> undone = fixture.admin(gateway, HttpMethod.POST, "/admin/malls/" + malls.get(0) + "/refresh");
    assertEquals(200, undone.statusCode(), undone.bodyAsString());
    assertFalse(undone.bodyAsJsonObject().getBoolean("reauthorization_required"), "the mark undone, no reinstall");
    assertEquals("200 UP", readiness(gateway, "cafe24-client"));
    assertEquals(200, call(gateway, malls.get(4)).statusCode());
  }

  @Test
  void should_mark_no_mall_when_invalid_grant_comes_in_words_never_seen() {
    List<String> malls = newMalls("unknown", 4);
    RunningGateway gateway = fixture.deploy(config("unknown"));
    malls.forEach(mall -> installExpired(gateway, mall, Instant.now()));
    fixture.simulator.faults().refuseRefreshes(400, "invalid_grant", "Something unexpected happened");

    for (String mall : malls) {
      HttpResponse<Buffer> response = call(gateway, mall);
      assertEquals(502, response.statusCode(), response.bodyAsString());
      assertEquals("token_refresh_failed", response.getHeader("X-Mallgate-Error"));
      assertFalse(marked(gateway, mall), mall + " marked on words that name no refresh token");
    }
  }

  @Test
  void should_mark_again_only_when_cafe24_refuses_the_refresh_token_again_after_an_admin_refresh() {
    String mall = newMalls("dead", 1).get(0);
    RunningGateway gateway = fixture.deploy(config("dead"));
    installExpired(gateway, mall, Instant.now());
    fixture.simulator.revokeAll(mall);
    assertEquals("mall_reauthorization_required", call(gateway, mall).getHeader("X-Mallgate-Error"));
    int attempts = fixture.simulator.refreshAttempts(mall);

    HttpResponse<Buffer> refused = fixture.admin(gateway, HttpMethod.POST, "/admin/malls/" + mall + "/refresh");

    assertEquals(401, refused.statusCode(), refused.bodyAsString());
    assertEquals("mall_reauthorization_required", refused.getHeader("X-Mallgate-Error"));
    assertEquals(attempts + 1, fixture.simulator.refreshAttempts(mall), "tried once");
    assertTrue(marked(gateway, mall), "Cafe24 refused the refresh token again: the mark is back");
    assertEquals("mall_reauthorization_required", call(gateway, mall).getHeader("X-Mallgate-Error"));
    assertEquals(attempts + 1, fixture.simulator.refreshAttempts(mall), "callers never refresh a marked mall");
  }
}
