package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Fault;
import io.mallgate.testsupport.FaultProxy;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.Timed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's faults between the gateway and Cafe24, one at a time, through a {@link FaultProxy} in front of the
 * simulator: every request ends within its deadline with the right code, GETs are retried only when nothing was
 * sent, and the simulator never sees a POST twice. Each test has its own proxy and gateway, so no pooled connection
 * carries one test's fault into the next. Time bounds are generous on purpose: the machine is shared.
 */
@Timeout(60)
@Slow
class UpstreamFaultsTest {

  private static final long REQUEST_TIMEOUT = 1_000;
  private static final long TOTAL_TIMEOUT = 3_000;
  /** What a loaded machine may add to a deadline before the answer is out. */
  private static final long SLACK = 2_500;

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  FaultProxy proxy;
  RunningGateway gateway;
  LogCapture logs;

  @BeforeAll
  static void startSimulator() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
  }

  @AfterAll
  static void stopSimulator() {
    fixture.close();
  }

  @AfterEach
  void stopGateway() {
    if (gateway != null) {
      result(gateway.stop());
    }
    if (proxy != null) {
      proxy.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  /** A gateway whose Cafe24 is the simulator behind a fresh fault proxy; mall {@code demo} is installed. */
  private void deploy(String name, long requestTimeout, long totalTimeout) {
    deploy(name, requestTimeout, totalTimeout, config -> config);
  }

  private void deploy(String name, long requestTimeout, long totalTimeout, UnaryOperator<TestConfig> more) {
    proxy = result(FaultProxy.start(fixture.vertx, "127.0.0.1", simulatorPort(fixture)));
    gateway = fixture.deploy(more.apply(fixture.config("", dir.resolve(name))
        .set("cafe24.baseUrl", "http://127.0.0.1:" + proxy.port() + "/{mall}")
        .set("proxy.connectTimeout", "1s")
        .set("proxy.requestTimeout", requestTimeout + "ms")
        .set("proxy.totalTimeout", totalTimeout + "ms")
        // These tests count single faults; an open circuit would answer in their place.
        .set("breaker.failureThreshold", 1000)
        .set("retry.backoff", "100ms")));
    fixture.install(gateway, "demo");
    logs = LogCapture.capture();
  }

  static int simulatorPort(GatewayFixture fixture) {
    String base = fixture.simulator.baseUrl(); // http://127.0.0.1:<port>/{mall}
    return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1, base.indexOf('/', "http://".length())));
  }

  private Future<HttpResponse<Buffer>> get(String uri) {
    return fixture.client.get(gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin" + uri).send();
  }

  private Future<HttpResponse<Buffer>> post(String uri, int bodySize) {
    return fixture.client.post(gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin" + uri)
        .putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(new byte[bodySize]));
  }

  private static Timed timed(java.util.function.Supplier<Future<HttpResponse<Buffer>>> call) {
    long start = System.nanoTime();
    return Timed.await(call.get(), start);
  }

  /** How many times the simulator received a request whose URI holds {@code marker}. */
  private static long seen(String marker) {
    return fixture.simulator.requests().stream().filter(request -> request.uri().contains(marker)).count();
  }

  private static String marker() {
    return "id=" + UUID.randomUUID();
  }

  private static void assertGatewayError(Timed call, int status, String code) {
    assertEquals(status, call.status(), call.toString());
    assertEquals(code, call.gatewayCode(), call.toString());
  }

  private void assertNoDoubleCompletion() {
    assertTrue(logs.linesContaining("already complete").isEmpty(),
        "a late upstream event completed a settled promise: " + logs.linesContaining("already complete"));
  }

  @Test
  void should_answer_504_upstream_timeout_at_the_deadline_when_the_upstream_is_slower_than_request_timeout() {
    deploy("slow", REQUEST_TIMEOUT, TOTAL_TIMEOUT);
    proxy.set(Fault.latency(Duration.ofSeconds(4)));

    Timed call = timed(() -> get("/products"));

    assertGatewayError(call, 504, "upstream_timeout");
    assertTrue(call.millis() >= REQUEST_TIMEOUT - 100, "answered before the deadline: " + call);
    assertTrue(call.millis() < REQUEST_TIMEOUT + SLACK, "answered long after the deadline: " + call);
    assertNoDoubleCompletion();
  }

  @Test
  void should_answer_504_at_the_deadline_when_cafe24_itself_answers_too_late() {
    deploy("late", REQUEST_TIMEOUT, TOTAL_TIMEOUT);

    Timed call = timed(() -> get("/slow?ms=2500"));

    assertGatewayError(call, 504, "upstream_timeout");
    assertTrue(call.millis() >= REQUEST_TIMEOUT - 100 && call.millis() < REQUEST_TIMEOUT + SLACK, call.toString());
    // The late answer arrives after the 504 went out: it must be dropped quietly, not complete a settled promise.
    result(fixture.vertx.timer(2_000));
    assertNoDoubleCompletion();
  }

  @Test
  void should_answer_200_when_latency_stays_under_the_deadline() {
    deploy("latency", REQUEST_TIMEOUT, TOTAL_TIMEOUT);
    proxy.set(Fault.latency(Duration.ofMillis(150)));

    Timed call = timed(() -> get("/products"));

    assertEquals(200, call.status(), call.toString());
    assertTrue(call.millis() >= 300, "the latency was applied both ways: " + call);
  }

  /** Backoff of the refusal tests: the first retry comes 1–2 s after the first try, long after it failed. */
  private static UnaryOperator<TestConfig> slowRetry() {
    return config -> config.set("retry.backoff", "2s").set("proxy.totalTimeout", "4s");
  }

  /** Waits on the test thread: here the timing is the point (the fault clears between the try and the retry). */
  private static void pause(long millis) {
    result(fixture.vertx.timer(millis));
  }

  @Test
  void should_retry_a_get_and_answer_200_when_the_connection_is_refused_until_the_retry() {
    deploy("refused-get", REQUEST_TIMEOUT, TOTAL_TIMEOUT, slowRetry());
    String marker = marker();
    proxy.unplug();

    long start = System.nanoTime();
    Future<HttpResponse<Buffer>> pending = get("/echo?" + marker);
    pause(400);
    proxy.plugIn();
    Timed call = Timed.await(pending, start);

    assertEquals(200, call.status(), call.toString());
    assertTrue(call.millis() >= 900, "answered by the retry, after its backoff: " + call);
    assertEquals(1, seen(marker));
  }

  @Test
  void should_answer_502_without_retrying_when_a_post_finds_the_connection_refused() {
    deploy("refused-post", REQUEST_TIMEOUT, TOTAL_TIMEOUT, slowRetry());
    String marker = marker();
    proxy.unplug();

    long start = System.nanoTime();
    Future<HttpResponse<Buffer>> pending = post("/echo?" + marker, 100);
    pause(400);
    // Cafe24 is back before any retry could go: a POST that was retried would get through.
    proxy.plugIn();
    Timed call = Timed.await(pending, start);

    assertGatewayError(call, 502, "upstream_unreachable");
    // Cafe24 was back 400 ms in: a retried POST would have reached it. Never sent twice, so never seen.
    assertEquals(0, seen(marker));
  }

  @Test
  void should_send_a_get_at_most_once_and_never_a_post_when_connections_are_accepted_and_reset_at_once() {
    deploy("reset-at-once", REQUEST_TIMEOUT, TOTAL_TIMEOUT);
    String getMarker = marker();
    String postMarker = marker();
    // The POST first: it leaves no pooled connection behind, so the GET too needs a new one, and is refused.
    proxy.forNext(1, Fault.refuse());
    Timed post = timed(() -> post("/echo?" + postMarker, 100));
    proxy.forNext(1, Fault.refuse());
    Timed get = timed(() -> get("/echo?" + getMarker));

    // Whether the reset beats the gateway's first byte is a race. Lost by the gateway (no byte went), the GET is
    // retried on a new connection; won (a byte went), the gateway cannot tell whether Cafe24 read the request and
    // answers 502 at once. Either way Cafe24 sees it at most once; the POST is never sent again.
    assertTrue(get.status() == 200 ? seen(getMarker) == 1
        : "upstream_unreachable".equals(get.gatewayCode()) && seen(getMarker) == 0, get.toString());
    assertGatewayError(post, 502, "upstream_unreachable");
    assertEquals(0, seen(postMarker));
  }

  @Test
  void should_answer_502_and_never_resend_when_the_connection_is_reset_mid_request() {
    deploy("reset-mid", REQUEST_TIMEOUT, TOTAL_TIMEOUT);
    String postMarker = marker();
    String getMarker = marker();
    proxy.set(Fault.resetAfter(2_000));

    Timed post = timed(() -> post("/echo?" + postMarker, 64 * 1024));
    proxy.set(Fault.resetAfter(20)); // inside the request line: bytes went out, so even a GET may not go again
    Timed get = timed(() -> get("/echo?" + getMarker));

    assertGatewayError(post, 502, "upstream_unreachable");
    assertGatewayError(get, 502, "upstream_unreachable");
    assertTrue(seen(postMarker) <= 1, "the POST reached Cafe24 twice");
    assertEquals(0, seen(getMarker), "20 bytes are not a request");
    assertEquals(2, proxy.accepted(), "neither call was sent again");
  }

  @Test
  void should_answer_502_and_never_resend_when_the_connection_is_reset_as_the_answer_starts() {
    deploy("reset-answer", REQUEST_TIMEOUT, TOTAL_TIMEOUT);
    String postMarker = marker();
    String getMarker = marker();
    proxy.set(Fault.resetOnResponse());

    Timed post = timed(() -> post("/echo?" + postMarker, 1_000));
    Timed get = timed(() -> get("/echo?" + getMarker));

    assertGatewayError(post, 502, "upstream_unreachable");
    assertEquals(1, seen(postMarker), "Cafe24 got the POST once, and only once");
    // Cafe24 got the GET too: the gateway cannot know it did nothing, so it does not send it again.
    assertGatewayError(get, 502, "upstream_unreachable");
    assertEquals(1, seen(getMarker));
  }

  @Test
  void should_answer_504_at_the_idle_timeout_when_cafe24_says_nothing_before_the_other_deadlines() {
    long idle = 700;
    deploy("silent", 10_000, 20_000, config -> config.set("proxy.idleTimeout", idle + "ms"));
    proxy.set(Fault.blackHole());

    Timed call = timed(() -> get("/products"));

    // proxy.idleTimeout counts from the request's start to Cafe24's response head, as Vert.x's own idle timeout did.
    assertGatewayError(call, 504, "upstream_timeout");
    assertTrue(call.millis() >= idle - 100 && call.millis() < idle + SLACK, call.toString());
    assertNoDoubleCompletion();
  }

  @Test
  void should_answer_504_within_total_timeout_when_the_upstream_is_a_black_hole() {
    long total = 1_500;
    deploy("black-hole", 10_000, total);
    proxy.set(Fault.blackHole());

    Timed call = timed(() -> get("/products"));

    assertGatewayError(call, 504, "upstream_timeout");
    assertTrue(call.millis() >= total - 100 && call.millis() < total + SLACK, call.toString());
  }

  @Test
  void should_not_count_a_wait_for_a_pooled_connection_as_a_failure_of_cafe24() {
    // One pooled connection, a connect timeout far below Cafe24's answer time, a circuit that opens on 2 failures:
    // the calls queued behind the one in flight wait longer than connectTimeout, and that is the gateway's own
    // queue, not Cafe24 failing to accept a connection.
    deploy("pool-breaker", 5_000, 20_000, config -> config.set("proxy.poolSize", 1).set("server.eventLoops", 1)
        .set("proxy.connectTimeout", "200ms").set("breaker.failureThreshold", 2));
    List<Future<HttpResponse<Buffer>>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(get("/slow?ms=400"));
    }
    result(Future.join(calls), 30);

    List<String> answers = calls.stream().map(call -> call.result().statusCode() + " "
        + call.result().getHeader("X-Mallgate-Error")).toList();
    assertEquals(java.util.Collections.nCopies(6, "200 null"), answers);
  }

  @Test
  void should_never_send_a_request_whose_caller_got_504_while_it_waited_for_a_pooled_connection() {
    long total = 1_000;
    // A connect timeout past the total one: a request waiting for a pooled connection outlives its caller's 504.
    // One event loop: each loop has its own pool, and the two calls must meet in the same one.
    deploy("pool-wait", 2_500, total, config -> config.set("proxy.poolSize", 1).set("proxy.connectTimeout", "5s")
        .set("server.eventLoops", 1));
    String marker = marker();
    proxy.forNext(1, Fault.blackHole());

    Future<HttpResponse<Buffer>> holder = get("/products");
    // Waits behind the black-holed call for the pool's only connection.
    Timed waiter = timed(() -> post("/echo?" + marker, 100));
    Timed held = Timed.await(holder, System.nanoTime());

    assertGatewayError(waiter, 504, "upstream_timeout");
    assertGatewayError(held, 504, "upstream_timeout");
    // The black-holed exchange ends at proxy.requestTimeout at the latest, freeing the connection. A queued
    // request would go out then, ahead of a later one: so once the next call is answered, it would have been seen.
    awaitBlackHoleClosed();
    Timed next = timed(() -> get("/products"));
    assertEquals(0, seen(marker), "a POST whose caller already had its 504 reached Cafe24");
    assertEquals(200, next.status(), "the pool serves the next call: " + next + "; connections accepted "
        + proxy.accepted() + ", open " + proxy.openConnections());
  }

  private void awaitBlackHoleClosed() {
    await("the black-holed connection closed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(() -> proxy.closedConnections() > 0);
  }
}
