package io.mallgate.proxy;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.Cafe24Simulator;
import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.Canaries;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.testsupport.UpstreamRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The proxy end to end: a real gateway in front of the real simulator, everything on loopback. */
@Timeout(120)
@Slow
class ProxyIntegrationTest {

  private static final long BIG = 50L * 1024 * 1024;

  @TempDir
  static Path dir;
  static Vertx vertx;
  static Cafe24Simulator simulator;
  static RunningGateway gateway;
  static WebClient client;
  static HttpClient http;
  static String demoAccessToken;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    simulator = Canaries.watch(new Cafe24Simulator(vertx,
        SimulatorSettings.defaults().withRateLimitEnabled(false)));
    result(simulator.start(0));
    UpstreamRoutes.install(vertx, simulator);
    gateway = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "", dir)
        .set("proxy.maxBodySize", "64MiB")
        .set("cafe24.apiVersion", "2025-06-01")
        .set("proxy.coalesce", true) // as shipped: every GET here goes through the coalesce step
        .build()));
    JsonObject tokens = simulator.issueTokens("demo");
    demoAccessToken = tokens.getString("access_token");
    result(gateway.gateway().tokens().install("demo", io.mallgate.token.TokenResponse.fromJson(tokens)));
    client = WebClient.create(vertx);
    http = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    result(vertx.close());
  }

  private static HttpResponse<Buffer> get(String uri) {
    return result(client.get(gateway.port(), "127.0.0.1", uri).send());
  }

  @Test
  void should_return_cafe24_answer_with_rate_headers_when_calling_a_resource() {
    HttpResponse<Buffer> response = get("/malls/demo/api/v2/admin/products?limit=2");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertNotNull(response.bodyAsJsonObject().getJsonArray("products"));
    assertNotNull(response.getHeader("X-Api-Call-Limit"));
    assertNull(response.getHeader("X-Mallgate-Error"));
  }

  @Test
  void should_drop_cafe24_cookies_when_relaying_an_answer() {
    HttpResponse<Buffer> response = get("/malls/demo/api/v2/admin/cookie");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertNull(response.getHeader("Set-Cookie"));
    assertNull(response.getHeader("Set-Cookie2"));
  }

  @Test
  void should_keep_method_raw_query_and_headers_when_forwarding() {
    String query = "a=1&b=%2F&c=&d=%ED%95%9C&e=x+y&e=2";
    HttpResponse<Buffer> response = result(client
        .request(HttpMethod.PATCH, gateway.port(), "127.0.0.1", "/malls/demo/api/v2/admin/echo/items?" + query)
        .putHeader("Authorization", "Bearer caller-must-not-pass")
        .putHeader("Cookie", "session=caller")
        .putHeader("Proxy-Authorization", "Basic Y2FsbGVy")
        .putHeader("Connection", "X-Hop-Named")
        .putHeader("X-Hop-Named", "1")
        .putHeader("X-Custom", "kept")
        .putHeader("X-Request-Id", "req-abc-123")
        .sendBuffer(Buffer.buffer("{\"x\":1}")));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject echo = response.bodyAsJsonObject();
    JsonObject headers = echo.getJsonObject("headers");
    assertEquals("PATCH", echo.getString("method"));
    assertEquals("/demo/api/v2/admin/echo/items?" + query, echo.getString("uri"));
    assertEquals("Bearer " + demoAccessToken, headers.getString("authorization"));
    assertFalse(headers.containsKey("cookie"));
    assertFalse(headers.containsKey("proxy-authorization"));
    assertFalse(headers.containsKey("x-hop-named"));
    assertEquals("kept", headers.getString("x-custom"));
    assertEquals("req-abc-123", headers.getString("x-request-id"));
    assertEquals("req-abc-123", response.getHeader("X-Request-Id"));
    assertEquals("2025-06-01", headers.getString("x-cafe24-api-version"));
    assertTrue(headers.getString("host").startsWith("127.0.0.1:"), headers.getString("host"));
    assertEquals(7, echo.getLong("length"));
  }

  @Test
  void should_generate_request_id_when_caller_sends_none() {
    HttpResponse<Buffer> response = get("/malls/demo/api/v2/admin/echo");
    String id = response.getHeader("X-Request-Id");
    assertNotNull(id);
    assertEquals(id, response.bodyAsJsonObject().getJsonObject("headers").getString("x-request-id"));
  }

  @Test
  void should_pass_redirect_back_when_upstream_redirects() {
    int before = simulator.requests().size();
    HttpResponse<Buffer> response = result(client.get(gateway.port(), "127.0.0.1",
        "/malls/demo/api/v2/admin/redirect").followRedirects(false).send());
    assertEquals(302, response.statusCode());
    assertEquals("http://127.0.0.1:9/elsewhere", response.getHeader("Location"));
    assertEquals(before + 1, simulator.requests().size());
  }

  @Test
  void should_stream_50_mib_upload_intact_when_body_is_chunked() throws Exception {
    upload(false);
  }

  @Test
  void should_stream_50_mib_upload_intact_when_body_has_content_length() throws Exception {
    upload(true);
  }

  private void upload(boolean withLength) throws Exception {
    Path file = bigFile();
    String expected = HexFormat.of().formatHex(sha256(file));
    JsonObject echo = result(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
        .compose(body -> http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI("/malls/demo/api/v2/admin/echo/upload"))
            .compose(request -> {
              if (withLength) {
                request.putHeader("Content-Length", String.valueOf(BIG));
              }
              return request.send(body);
            })
            .compose(response -> response.body())
            .eventually(body::close)), 90)
        .toJsonObject();
    assertEquals(BIG, echo.getLong("length"));
    assertEquals(expected, echo.getString("sha256"));
    assertEquals(withLength ? String.valueOf(BIG) : null, echo.getJsonObject("headers").getString("content-length"));
  }

  @Test
  void should_stream_50_mib_download_intact_when_upstream_sends_it() {
    for (boolean chunked : new boolean[] {false, true}) {
      MessageDigest digest = UpstreamRoutes_sha256();
      long[] length = {0};
      Integer status = result(http.request(HttpMethod.GET, gateway.port(), "127.0.0.1",
              "/malls/demo/api/v2/admin/download?size=" + BIG + "&chunked=" + chunked)
          .compose(request -> request.send())
          .compose(response -> {
            response.handler(chunk -> {
              digest.update(chunk.getBytes());
              length[0] += chunk.length();
            });
            return response.end().map(done -> response.statusCode());
          }), 90);
      assertEquals(200, status);
      assertEquals(BIG, length[0]);
      MessageDigest expected = UpstreamRoutes_sha256();
      for (long offset = 0; offset < BIG; offset += 1 << 20) {
        expected.update(UpstreamRoutes.pattern(1 << 20, offset));
      }
      assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(digest.digest()));
    }
  }

  @Test
  void should_answer_head_without_body_when_method_is_head() {
    io.mallgate.testsupport.RawHttp.Reply reply = io.mallgate.testsupport.RawHttp.send(gateway.port(),
        "HEAD /malls/demo/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(200, io.mallgate.testsupport.RawHttp.status(reply.text()), reply.text());
    assertTrue(reply.text().endsWith("\r\n\r\n"), "nothing after the head: " + reply.text());
  }

  @Test
  void should_let_a_slow_upload_through_when_it_takes_longer_than_the_response_deadline() {
    // proxy.requestTimeout (2 s here) counts from the end of the body, so a 3 s upload is fine.
    RunningGateway strict = result(RunningGateway.deploy(vertx, TestConfig.forSimulator(simulator.baseUrl(), "",
        dir.resolve("strict")).set("proxy.requestTimeout", "2s").build()));
    result(strict.gateway().tokens().install("demo", io.mallgate.token.TokenResponse.fromJson(
        simulator.issueTokens("demo"))));
    JsonObject echo = result(http.request(HttpMethod.POST, strict.port(), "127.0.0.1",
            "/malls/demo/api/v2/admin/echo/slow-upload")
        .compose(request -> {
          request.setChunked(true);
          io.vertx.core.Promise<io.vertx.core.http.HttpClientResponse> done = io.vertx.core.Promise.promise();
          request.response().onComplete(done);
          writeSlowly(request, 6);
          return done.future();
        })
        .compose(response -> response.body()), 30).toJsonObject();
    assertEquals(6 * 2048, echo.getLong("length"));
  }

  private static void writeSlowly(io.vertx.core.http.HttpClientRequest request, int chunksLeft) {
    if (chunksLeft == 0) {
      request.end();
      return;
    }
    request.write(Buffer.buffer(new byte[2048]));
    vertx.setTimer(500, t -> writeSlowly(request, chunksLeft - 1));
  }

  @Test
  void should_stop_reading_the_upstream_when_the_caller_goes_away_mid_download() throws Exception {
    long before = UpstreamRoutes.downloadBytesSent();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(("GET /malls/demo/api/v2/admin/download?size=" + (400L << 20)
          + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buffer = new byte[1 << 16];
      int read = 0;
      while (read < (4 << 20)) {
        read += socket.getInputStream().read(buffer);
      }
    } // the caller is gone after 4 MiB of 400 MiB
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
    await("the upstream stops streaming (no byte sent in 300 ms)")
        .atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
        .until(() -> {
          long now = UpstreamRoutes.downloadBytesSent();
          return last.getAndSet(now) == now;
        });
    long sent = UpstreamRoutes.downloadBytesSent() - before;
    assertTrue(sent < (100L << 20), "the upstream kept streaming after the caller left: " + (sent >> 20) + " MiB");
  }

  @Test
  void should_cut_the_callers_connection_and_never_end_the_body_when_cafe24_dies_mid_answer() {
    for (boolean chunked : new boolean[] {true, false}) {
      io.mallgate.testsupport.RawHttp.Reply reply = io.mallgate.testsupport.RawHttp.send(gateway.port(),
          "GET /malls/demo/api/v2/admin/download?size=100000&cutAt=1000&chunked=" + chunked
              + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = reply.text();

      assertTrue(answer.startsWith("HTTP/1.1 200"), answer.lines().findFirst().orElse("(nothing)"));
      // The caller must see a truncated answer: its connection closed, short of the declared length or without the
      // last chunk. An ended body on a kept-alive connection would pass 1,000 bytes off as the whole answer.
      assertTrue(reply.closed(), "chunked=" + chunked + ": the caller's connection stayed open");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertFalse(body.endsWith("0\r\n\r\n"), "the chunked body was ended: " + body.length() + " bytes");
      assertTrue(body.length() < 100_000, "chunked=" + chunked + ": " + body.length() + " bytes");
    }
  }

  private static MessageDigest UpstreamRoutes_sha256() {
    return UpstreamRoutes.sha256();
  }

  private static Path bigFile() throws IOException {
    Path file = dir.resolve("big.bin");
    if (!Files.exists(file)) {
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long offset = 0; offset < BIG; offset += 1 << 20) {
          out.write(UpstreamRoutes.pattern(1 << 20, offset * 7));
        }
      }
    }
    return file;
  }

  private static byte[] sha256(Path file) throws IOException {
    MessageDigest digest = UpstreamRoutes.sha256();
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

}
