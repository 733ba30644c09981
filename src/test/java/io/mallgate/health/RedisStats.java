package io.mallgate.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a Redis server's own count of PING commands ({@code INFO commandstats}), on the test thread. */
final class RedisStats {

  private static final Pattern PING_CALLS = Pattern.compile("cmdstat_ping:calls=(\\d+)");

  private RedisStats() {
  }

  static long pings(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = readBulk(socket.getInputStream());
      Matcher calls = PING_CALLS.matcher(reply);
      return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // "$<length>\r\n<payload>\r\n": read until the whole payload is in.
  private static String readBulk(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      head.append((char) c);
    }
    int length = Integer.parseInt(head.toString().trim().substring(1));
    byte[] payload = in.readNBytes(length);
    return new String(payload, StandardCharsets.US_ASCII);
  }
}
