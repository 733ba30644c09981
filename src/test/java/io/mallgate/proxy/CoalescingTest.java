package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.proxy.CoalesceCounters.Outcome;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, point 1, end to end: concurrent identical GETs of a mall share one call to a real (simulated) Cafe24 on
 * loopback, across the gateway's event loops; anything that could make the answers differ is never shared; a shared
 * failure reaches every waiter; a large answer, an answer that varies by what the key does not hold, a leader's caller
 * that leaves, and a waiter's caller that leaves are each handled without a hang.
 */
@Timeout(120)
@Slow
class CoalescingTest {

  /** Every answer of the test route names its call: equal bodies prove one call, different ones separate calls. */
  private static final AtomicInteger CALLS = new AtomicInteger();

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static HttpClient http;
  private static final AtomicInteger MALLS = new AtomicInteger();

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    fixture.simulator.adminRoute("/shared/*").handler(CoalescingTest::answer);
    http = fixture.vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(50));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_make_at_most_two_calls_and_give_every_caller_one_body_when_100_identical_gets_arrive_together() {
    RunningGateway gateway = deploy(config("burst"));
    String mall = mall(gateway);
    String uri = "/malls/" + mall + "/api/v2/admin/shared/products?limit=10&ms=2000";

    List<HttpResponse<Buffer>> responses = all(100, i -> get(gateway, uri).putHeader("X-Request-Id", "burst-" + i));

    Set<String> bodies = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<Buffer> response = responses.get(i);
      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertEquals("burst-" + i, response.getHeader("X-Request-Id"), "each caller's own request id");
      assertTrue(response.getHeader("X-Api-Call-Limit") != null, "Cafe24's headers reach every caller");
      assertNull(response.getHeader("Set-Cookie"), "never a cookie of Cafe24's");
      bodies.add(response.bodyAsString());
      ids.add(response.getHeader("X-Request-Id"));
    }
    long calls = upstreamCalls(mall);
    assertTrue(calls <= 2, calls + " calls to Cafe24 for 100 identical GETs");
    assertEquals(calls, bodies.size(), "one body per call to Cafe24");
    assertEquals(100, ids.size());
    assertEquals(100 - calls, gateway.gateway().coalesced().requests(Outcome.SERVED));
    assertEquals(0, gateway.gateway().coalesced().waiting());
    String metrics = fixture.get(gateway, "/metrics").bodyAsString();
    assertEquals(100.0 - calls, sample(metrics, "mallgate_coalesced_requests_total{outcome=\"served\"}"));
    assertTrue(sample(metrics, "mallgate_coalesced_calls_total{outcome=\"served\"}") >= 1, metrics);
  }

  @Test
  void should_make_a_call_per_request_when_query_method_mall_accept_version_or_no_cache_differ() {
    RunningGateway gateway = deploy(config("apart"));
    String mall = mall(gateway);
    String other = mall(gateway);
    String base = "/api/v2/admin/shared/items?ms=1000";
    List<Function<Integer, HttpRequest<Buffer>>> requests = List.of(
        i -> get(gateway, "/malls/" + mall + base + "&q=1"),
        i -> get(gateway, "/malls/" + mall + base + "&q=2"),
        i -> get(gateway, "/malls/" + mall + base),
        i -> get(gateway, "/malls/" + other + base),
        i -> get(gateway, "/malls/" + mall + base).putHeader("Accept", "application/xml"),
        i -> get(gateway, "/malls/" + mall + base).putHeader("Accept-Encoding", "gzip"),
        i -> get(gateway, "/malls/" + mall + base).putHeader("X-Cafe24-Api-Version", "2025-06-01"),
        i -> get(gateway, "/malls/" + mall + base).putHeader("Cache-Control", "no-cache"),
        i -> get(gateway, "/malls/" + mall + base).putHeader("Cache-Control", "no-cache"),
        i -> request(gateway, HttpMethod.POST, "/malls/" + mall + base),
        i -> request(gateway, HttpMethod.POST, "/malls/" + mall + base),
        i -> request(gateway, HttpMethod.HEAD, "/malls/" + mall + base),
        i -> request(gateway, HttpMethod.HEAD, "/malls/" + mall + base));

    List<HttpResponse<Buffer>> responses = all(requests.size(), i -> requests.get(i).apply(i));

    for (HttpResponse<Buffer> response : responses) {
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }
    assertEquals(requests.size(), upstreamCalls(mall) + upstreamCalls(other), "each its own call");
    assertEquals(0, gateway.gateway().coalesced().requests(Outcome.SERVED));
  }

  @Test
  void should_give_every_caller_the_whole_body_through_its_own_call_when_the_answer_is_over_coalesce_max_body() {
    RunningGateway gateway = deploy(config("large").set("proxy.coalesceMaxBody", "64KiB"));
    String mall = mall(gateway);
    for (String declared : List.of("false", "true")) {
      String uri = "/malls/" + mall + "/api/v2/admin/shared/big?ms=1000&size=300000&length=" + declared;
      long before = upstreamCalls(mall);

      List<HttpResponse<Buffer>> responses = all(10, i -> get(gateway, uri));

      for (HttpResponse<Buffer> response : responses) {
        assertEquals(200, response.statusCode());
        assertArrayEquals(UpstreamRoutes.pattern(300_000, 0), response.body().getBytes(), "the whole body");
      }
      assertEquals(10, upstreamCalls(mall) - before, "too large to share: each its own call");
    }
    assertEquals(18, gateway.gateway().coalesced().requests(Outcome.TOO_LARGE));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().bodyBytesHeld() == 0);
  }

  @Test
  void should_fail_every_waiter_as_its_own_when_the_shared_call_fails() {
    RunningGateway gateway = deploy(config("fails").set("proxy.totalTimeout", "1s"));
    String mall = mall(gateway);

    List<HttpResponse<Buffer>> cut = all(20, i -> get(gateway, "/malls/" + mall
        + "/api/v2/admin/shared/cut?ms=500").putHeader("X-Request-Id", "cut-" + i));
    List<HttpResponse<Buffer>> late = all(20, i -> get(gateway, "/malls/" + mall
        + "/api/v2/admin/shared/late?ms=3000"));

    for (int i = 0; i < cut.size(); i++) {
      assertEquals(502, cut.get(i).statusCode(), cut.get(i).bodyAsString());
      assertEquals("upstream_unreachable", cut.get(i).getHeader("X-Mallgate-Error"));
      assertEquals("cut-" + i, cut.get(i).getHeader("X-Request-Id"));
    }
    for (HttpResponse<Buffer> response : late) {
      assertEquals(504, response.statusCode(), response.bodyAsString());
      assertEquals("upstream_timeout", response.getHeader("X-Mallgate-Error"));
    }
    assertTrue(upstreamCalls(mall) <= 4, upstreamCalls(mall) + " calls");
    assertTrue(gateway.gateway().coalesced().requests(Outcome.FAILED) >= 36);
  }

  @Test
  void should_share_only_when_the_answer_varies_by_nothing_but_what_the_key_holds() {
    RunningGateway gateway = deploy(config("vary"));
    String mall = mall(gateway);
    String keyed = "/malls/" + mall + "/api/v2/admin/shared/products?ms=1000&vary=Accept-Encoding,%20Origin,"
        + "%20Access-Control-Request-Method";
    String byAgent = "/malls/" + mall + "/api/v2/admin/shared/products?ms=1000&vary=User-Agent";

    all(10, i -> get(gateway, keyed)).forEach(response -> assertEquals(200, response.statusCode()));
    long shared = upstreamCalls(mall);
    List<HttpResponse<Buffer>> apart = all(10, i -> get(gateway, byAgent).putHeader("User-Agent", "agent-" + i));

    assertEquals(1, shared, "an answer that varies by the key's headers alone is shared");
    apart.forEach(response -> assertEquals(200, response.statusCode()));
    assertEquals(1 + 10, upstreamCalls(mall), "an answer that varies by User-Agent: each its own call");
    assertEquals(9, gateway.gateway().coalesced().requests(Outcome.VARIES));
  }

  @Test
  void should_make_a_call_per_request_when_coalescing_is_off() {
    RunningGateway gateway = deploy(config("off").set("proxy.coalesce", false));
    String mall = mall(gateway);

    List<HttpResponse<Buffer>> responses = all(10, i -> get(gateway, "/malls/" + mall
        + "/api/v2/admin/shared/products?ms=500"));

    responses.forEach(response -> assertEquals(200, response.statusCode()));
    assertEquals(10, upstreamCalls(mall));
  }

  @Test
  void should_answer_every_identical_get_when_the_malls_concurrency_bound_is_smaller_than_the_burst() {
    RunningGateway gateway = deploy(config("bound").set("proxy.maxConcurrentPerMall", 2));
    String mall = mall(gateway);

    List<HttpResponse<Buffer>> responses = all(50, i -> get(gateway, "/malls/" + mall
        + "/api/v2/admin/shared/products?ms=1500"));

    for (HttpResponse<Buffer> response : responses) {
      assertEquals(200, response.statusCode(), response.bodyAsString());
    }
  }

  @Test
  void should_serve_the_waiters_through_one_new_call_when_the_leaders_caller_goes_away() {
    RunningGateway gateway = deploy(config("leader"));
    String mall = mall(gateway);
    String uri = "/malls/" + mall + "/api/v2/admin/shared/products?ms=1500";
    HttpClientRequest leader = result(http.request(HttpMethod.GET, gateway.port(), "127.0.0.1", uri));
    leader.send();
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamCalls(mall) == 1);
    List<Future<HttpResponse<Buffer>>> waiters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiters.add(get(gateway, uri).send());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().coalesced().waiting() == 20);

    leader.connection().close();

    for (Future<HttpResponse<Buffer>> waiter : waiters) {
      assertEquals(200, result(waiter).statusCode(), result(waiter).bodyAsString());
    }
    assertEquals(2, upstreamCalls(mall), "the leader's call, then one for all its waiters");
    assertEquals(20, gateway.gateway().coalesced().requests(Outcome.LEADER_LEFT));
  }

  @Test
  void should_answer_the_others_from_the_one_call_when_a_waiters_caller_goes_away() {
    RunningGateway gateway = deploy(config("waiter"));
    String mall = mall(gateway);
    String uri = "/malls/" + mall + "/api/v2/admin/shared/products?ms=1500";
    Future<HttpResponse<Buffer>> leader = get(gateway, uri).send();
    await().atMost(Duration.ofSeconds(10)).until(() -> upstreamCalls(mall) == 1);
    HttpClientRequest leaving = result(http.request(HttpMethod.GET, gateway.port(), "127.0.0.1", uri));
    leaving.send();
    List<Future<HttpResponse<Buffer>>> waiters = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiters.add(get(gateway, uri).send());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().coalesced().waiting() == 11);

    leaving.connection().close();

    String body = result(leader).bodyAsString();
    assertEquals(200, result(leader).statusCode());
    for (Future<HttpResponse<Buffer>> waiter : waiters) {
      assertEquals(200, result(waiter).statusCode());
      assertEquals(body, result(waiter).bodyAsString());
    }
    assertEquals(1, upstreamCalls(mall));
  }

  /**
   * The test route, after {@code ms}: {@code cut} closes the connection; {@code big} sends {@code size} pattern bytes
   * in 16 KiB writes ({@code length=true}: with a Content-Length); any other name answers its call number as JSON.
   */
  private static void answer(RoutingContext ctx) {
    int call = CALLS.incrementAndGet();
    String ms = ctx.request().getParam("ms");
    fixture.vertx.setTimer(ms == null ? 1 : Long.parseLong(ms), fired -> {
      HttpServerResponse response = ctx.response();
      String path = ctx.request().path();
      if (path.endsWith("/cut")) {
        ctx.request().connection().close();
      } else if (path.endsWith("/big")) {
        int size = Integer.parseInt(ctx.request().getParam("size"));
        if ("true".equals(ctx.request().getParam("length"))) {
          response.putHeader("Content-Length", String.valueOf(size));
        } else {
          response.setChunked(true);
        }
        for (int sent = 0; sent < size; sent += 16_384) {
          response.write(Buffer.buffer(UpstreamRoutes.pattern(Math.min(16_384, size - sent), sent)));
        }
        response.end();
      } else {
        String vary = ctx.request().getParam("vary");
        if (vary != null) {
          response.putHeader("Vary", vary);
        }
        response.putHeader("Content-Type", "application/json")
            .putHeader("Set-Cookie", "ECSESSID=cafe24-session; path=/")
            .end("{\"call\":" + call + "}");
      }
    });
  }

  private static TestConfig config(String name) {
    // Four loops: a burst spreads over them, and waiters hear of the call on another loop than theirs.
    return fixture.config("", dir.resolve(name)).set("server.eventLoops", 4).set("proxy.coalesce", true);
  }

  private static RunningGateway deploy(TestConfig config) {
    return fixture.deploy(config);
  }

  private static String mall(RunningGateway gateway) {
    String mall = "coalesce-" + ProcessHandle.current().pid() % 100_000 + "-" + MALLS.incrementAndGet();
    fixture.install(gateway, mall);
    return mall;
  }

  private static HttpRequest<Buffer> get(RunningGateway gateway, String uri) {
    return request(gateway, HttpMethod.GET, uri);
  }

  private static HttpRequest<Buffer> request(RunningGateway gateway, HttpMethod method, String uri) {
    return fixture.client.request(method, gateway.port(), "127.0.0.1", uri);
  }

  /** Sends {@code count} requests at once and waits for every answer, in order. */
  private static List<HttpResponse<Buffer>> all(int count, Function<Integer, HttpRequest<Buffer>> request) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(request.apply(i).send());
    }
    return sent.stream().map(future -> result(future)).toList();
  }

  private static long upstreamCalls(String mall) {
    return fixture.simulator.requests().stream()
        .filter(request -> request.mall().equals(mall) && request.uri().contains("/shared/")).count();
  }

  private static double sample(String metrics, String series) {
    return metrics.lines().filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
