package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body is read before its call takes one of the mall's concurrency places: senders that trickle their uploads
 * hold none, so they cannot take a mall offline, and are cut with 408 {@code body_timeout}.
 */
@Timeout(90)
@Slow
class TricklingBodiesTest {

  private static final int TRICKLERS = 40;

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults().withRateLimitEnabled(false));
    gateway = fixture.deploy(fixture.config("", dir)
        .set("proxy.maxConcurrentPerMall", 32)
        .set("proxy.bodyTimeout", "3s"));
    fixture.install(gateway, "shop");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_serve_other_callers_of_the_mall_while_uploads_trickle_and_cut_them_with_408() throws Exception {
    List<Socket> tricklers = new ArrayList<>();
    try {
      for (int i = 0; i < TRICKLERS; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /malls/shop/api/v2/admin/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        tricklers.add(socket);
      }
      long slowest = 0;
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        HttpResponse<Buffer> answer = fixture.get(gateway, "/malls/shop/api/v2/admin/products");
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        for (Socket socket : tricklers) {
          socket.getOutputStream().write(' '); // a byte now and then: never silent, never done
        }
      }
      System.out.printf("trickling uploads: %d held open, 10 other calls of the mall all 200, slowest %d ms%n",
          TRICKLERS, slowest);
      String cut = readAll(tricklers.get(0).getInputStream());
      assertEquals(408, RawHttp.status(cut), cut);
      assertTrue(cut.contains("body_timeout"), cut);
    } finally {
      for (Socket socket : tricklers) {
        socket.close();
      }
    }
  }

  @Test
  void should_cut_a_streamed_body_with_408_when_the_sender_falls_silent() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /malls/shop/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[1_500_000]); // past proxy.replayBufferSize (1MiB): the rest would stream to Cafe24
      out.flush();
      long start = System.nanoTime();
      String cut = readAll(socket.getInputStream()); // ...but nothing more comes
      System.out.printf("silent streamed body: 408 read and connection closed %d ms after the last byte (bodyTimeout 3s, "
          + "then up to 5s of lingering close)%n", (System.nanoTime() - start) / 1_000_000);
      assertEquals(408, RawHttp.status(cut), cut);
      assertTrue(cut.contains("body_timeout"), cut);
    }
  }

  @Test
  void should_give_back_every_body_byte_when_exchanges_end_whatever_their_outcome() throws Exception {
    String small = "{\"request\":{\"product_name\":\"a\"}}";
    for (int i = 0; i < 20; i++) {
      // Served, a 404 from Cafe24 and a body over the replay buffer that streams: each holds bytes while it runs.
      assertEquals(201, post("/malls/shop/api/v2/admin/products", small).statusCode());
      post("/malls/shop/api/v2/admin/no-such-resource", small);
      assertEquals(200, post("/malls/shop/api/v2/admin/echo", "x".repeat(1_200_000)).statusCode());
    }
    try (Socket socket = new Socket()) { // and a caller who leaves mid-body
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
      socket.getOutputStream().write(("POST /malls/shop/api/v2/admin/echo HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 100000\r\n\r\n" + "y".repeat(50_000)).getBytes(StandardCharsets.ISO_8859_1));
    }
    org.awaitility.Awaitility.await("every body's bytes given back").atMost(java.time.Duration.ofSeconds(20))
        .until(() -> gateway.gateway().bodyBytesHeld() == 0);
  }

  private static HttpResponse<Buffer> post(String uri, String body) {
    return io.mallgate.testsupport.Await.result(fixture.client.post(gateway.port(), "127.0.0.1", uri)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // the gateway closes after its answer; what was read before stands
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }
}
