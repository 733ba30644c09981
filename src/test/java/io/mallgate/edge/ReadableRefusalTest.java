package io.mallgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RawHttp;
import io.mallgate.testsupport.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain client — one that sends its whole body before it reads, without {@code Expect: 100-continue} — reads the
 * gateway's 413 instead of a connection reset: the gateway reads and drops the rest of a refused body before closing.
 */
@Timeout(60)
class ReadableRefusalTest {

  @TempDir
  static Path dir;
  static GatewayFixture fixture;
  static RunningGateway gateway;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(SimulatorSettings.defaults());
    gateway = fixture.deploy(fixture.config("", dir));
    fixture.install(gateway, "shop");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void should_let_a_plain_sender_read_the_413_when_a_webhook_body_is_too_large() throws IOException {
    String answer = sendWholeBody("/webhook", 4 * 1024 * 1024);
    assertEquals(413, RawHttp.status(answer), answer);
    assertTrue(answer.contains("body_too_large"), answer);
  }

  @Test
  void should_let_a_plain_sender_read_the_413_when_a_proxied_body_is_too_large() throws IOException {
    String answer = sendWholeBody("/malls/shop/api/v2/admin/products", 12 * 1024 * 1024);
    assertEquals(413, RawHttp.status(answer), answer);
    assertTrue(answer.contains("body_too_large"), answer);
  }

  /** Writes the head and every byte of the body, then reads until the gateway closes. */
  private static String sendWholeBody(String path, int length) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int sent = 0; sent < length; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, length - sent));
      }
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
