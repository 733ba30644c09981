package io.mallgate.testsupport;

import static org.awaitility.Awaitility.await;
import static org.awaitility.pollinterval.IterativePollInterval.iterative;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/** A {@code redis-server} child process on 127.0.0.1 and a free port, its output in {@code target/redis/}. */
final class RedisProcess implements RedisServer.Backend {

  private static final Duration READY_LIMIT = Duration.ofSeconds(15);
  private final int port = freePort();
  private final Path dir = Path.of("target", "redis").toAbsolutePath();
  private boolean started;
  private Process process;

  @Override
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path log = dir.resolve("redis-" + port + ".log");
    String dump = "dump-" + port + ".rdb";
    try {
      Files.createDirectories(dir);
      if (!started) {
        // A dump left by an earlier run on this port must not leak into a fresh server.
        Files.deleteIfExists(dir.resolve(dump));
        started = true;
      }
      // No automatic snapshots; a test that wants data to survive a restart sends SAVE (see RedisServer#save).
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", dump)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is it on the PATH?)", e);
    }
    Process started = process;
    awaitPong("127.0.0.1", port, READY_LIMIT, started::isAlive, log);
  }

  @Override
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Waits, polling with a short backoff, until Redis answers PING. Test support only: this blocks. */
  static void awaitPong(String host, int port, Duration limit, BooleanSupplier alive, Object logHint) {
    try {
      await("redis on port " + port + " answering PING").atMost(limit).pollDelay(Duration.ZERO)
          .pollInterval(iterative(last -> min(last.multipliedBy(2), Duration.ofMillis(200)), Duration.ofMillis(5)))
          .failFast("redis on port " + port + " went away while starting; see " + logHint, () -> !alive.getAsBoolean())
          .until(() -> ping(host, port));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("redis on port " + port + " did not answer PING within " + limit, e);
    }
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static boolean ping(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(5);
      return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** A free loopback port, never Redis's default 6379. */
  static int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (socket.getLocalPort() != 6379) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new IllegalStateException("no free port", e);
      }
    }
  }
}
