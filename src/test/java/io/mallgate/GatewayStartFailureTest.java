package io.mallgate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.Await;
import io.mallgate.testsupport.RedisServer;
import io.mallgate.testsupport.TestConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A gateway that cannot listen gives back everything it opened: here, its Redis connections. */
@Timeout(60)
class GatewayStartFailureTest {

  private static final Pattern CLIENTS = Pattern.compile("connected_clients:(\\d+)");

  @TempDir
  Path dir;

  @Test
  void should_close_its_redis_connections_when_the_port_is_taken() throws IOException {
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.dedicated();
        ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long before = clients(redis.port());
      TestConfig config = TestConfig.forSimulator("http://127.0.0.1:9/{mall}", redis.url(), dir)
          .set("server.host", "127.0.0.1")
          .set("server.port", taken.getLocalPort());

      // Started on a bare event loop, not in a verticle: Vert.x closes a failed verticle's clients itself, so only
      // here would a leak show (and Main's own start path must not depend on that).
      Promise<Gateway> started = Promise.promise();
      vertx.runOnContext(v -> Gateway.start(vertx, config.build(), Clock.systemUTC()).onComplete(started));
      Throwable failure = Await.failure(started.future());

      assertTrue(failure.getMessage() == null || !failure.getMessage().contains(TestConfig.CLIENT_SECRET));
      await("the failed gateway's Redis connections closed")
          .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> clients(redis.port()) <= before);
    } finally {
      Await.result(vertx.close());
    }
  }

  /** Clients connected to the Redis at {@code port}, the asking one included. */
  private static long clients(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("INFO clients\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        head.append((char) c);
      }
      String info = new String(in.readNBytes(Integer.parseInt(head.toString().trim().substring(1))),
          StandardCharsets.US_ASCII);
      Matcher clients = CLIENTS.matcher(info);
      return clients.find() ? Long.parseLong(clients.group(1)) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
