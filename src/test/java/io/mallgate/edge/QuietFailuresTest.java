package io.mallgate.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.LogCapture;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What callers do wrong is not the gateway's fault: malformed input is a 400 logged at most at INFO without a stack,
 * and a caller who leaves is a 499, never an ERROR and never counted against Cafe24. Logs cannot be flooded from
 * outside.
 */
@Timeout(120)
@Slow
class QuietFailuresTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.capture();
    fixture = GatewayFixture.start(SimulatorSettings.defaults());
    gateway = fixture.deploy(fixture.config("", dir));
    fixture.install(gateway, "shop");
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  @Test
  void should_answer_400_and_log_no_error_when_callers_send_garbage_chunks() {
    for (int i = 0; i < 40; i++) {
      String answer = RawHttp.exchange(gateway.port(), "POST /malls/shop/api/v2/admin/products HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz-not-a-size\r\n{}\r\n0\r\n\r\n");
      assertTrue(RawHttp.status(answer) == 400 || answer.isEmpty(), answer);
    }
    List<String> errors = logs.errorLines(true);
    System.out.println("garbage chunks: " + errors.size() + " ERROR or stack lines: " + errors);
    assertEquals(List.of(), errors);
  }

  @Test
  void should_not_open_the_circuit_when_streamed_bodies_turn_to_garbage() throws Exception {
    String big = "x".repeat(1_500_000); // past proxy.replayBufferSize: the body streams to Cafe24
    for (int i = 0; i < 8; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /malls/shop/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(big.length()) + "\r\n" + big + "\r\nzz-not-a-size\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.getInputStream().readAllBytes();
      } catch (java.io.IOException reset) {
        // the gateway may cut the connection: that is an answer too
      }
    }
    // Five failures in a row would open the mall's circuit if they were counted as Cafe24's.
    assertEquals(200, fixture.get(gateway, "/malls/shop/api/v2/admin/products").statusCode());
    assertEquals(List.of(), logs.errorLines(true));
  }

  @Test
  void should_log_no_error_and_count_no_cafe24_failure_when_callers_leave_before_the_answer() throws Exception {
    List<Socket> callers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
      socket.getOutputStream().write("GET /malls/shop/api/v2/admin/slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      callers.add(socket);
    }
    await("every call waiting for Cafe24's (slow) answer").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20)).until(() -> fixture.simulator.requests().stream()
            .filter(request -> request.uri().contains("/admin/slow")).count() >= 20);
    for (Socket socket : callers) {
      socket.setSoLinger(true, 0); // gone with a reset, as wrk's connections at the end of a run
      socket.close();
    }
    // Not one ERROR until past the slow answers (1.5 s): a late answer for a caller who left is no error either.
    await("no ERROR line while the slow answers come in").during(Duration.ofMillis(2_000))
        .atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertEquals(List.of(), logs.errorLines(true)));
    String scrape = fixture.get(gateway, "/metrics").bodyAsString();
    assertTrue(!scrape.contains("upstream_unreachable") && !scrape.contains("upstream_timeout"),
        "callers who left counted as Cafe24 failures");
    // Five counted failures would have opened the mall's circuit.
    assertEquals(200, fixture.get(gateway, "/malls/shop/api/v2/admin/products").statusCode());
    long left = logs.lines().stream()
        .filter(line -> line.startsWith("mallgate.access") && line.contains("/admin/slow"))
        .filter(line -> line.contains("status=499")).count();
    assertEquals(20, left, "each caller who left is a 499 in the access log");
  }

  @Test
  void should_log_no_error_when_callers_leave_mid_answer() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /malls/shop/api/v2/admin/download?size=50000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        in.read(new byte[4096]);
        socket.setSoLinger(true, 0); // leave with a reset, as a killed client does
      }
    }
    // Not one ERROR for a while after the callers left: their streams end on the gateway's side meanwhile.
    await("no ERROR line after the callers left").during(Duration.ofMillis(1_000))
        .atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertEquals(List.of(), logs.errorLines(true)));
    List<String> errors = logs.errorLines(true);
    System.out.println("callers leaving: " + errors.size() + " ERROR or stack lines: " + errors);
    assertEquals(List.of(), errors);
  }
}
