package io.mallgate.testsupport;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * A real Redis for tests, from the first source that works: the {@code REDIS_URL} environment variable, a
 * Testcontainers {@code redis:7-alpine} container when Docker answers, or a {@code redis-server} process from the
 * {@code PATH} on a free port (never 6379, which may be someone else's). Data lives in memory only: a restarted
 * server is empty.
 *
 * <p>{@link #shared()} is one server per JVM for tests that only read and write (use unique keys; never stop it).
 * {@link #dedicated()} is a server of the test's own, for tests that stop and start it; close it in
 * {@code @AfterAll}. Both are also stopped by a shutdown hook.
 */
public final class RedisServer implements AutoCloseable {

  /** Seconds the Docker probe may take before it counts as "no Docker". */
  private static final long DOCKER_PROBE_SECONDS = 10;
  private static RedisServer shared;
  private static Boolean docker;

  private final Backend backend;
  private boolean closed;

  private RedisServer(Backend backend) {
    this.backend = backend;
  }

  /** The JVM's shared server, started on first use. */
  public static synchronized RedisServer shared() {
    if (shared == null) {
      shared = launch(false);
    }
    return shared;
  }

  /**
   * A fresh server owned by the caller. Aborts the test (an assumption failure, not an error) when {@code REDIS_URL}
   * names an external server, which a test cannot stop and start.
   */
  public static RedisServer dedicated() {
    return launch(true);
  }

  /** {@code redis://host:port}. */
  public String url() {
    return backend.url();
  }

  public int port() {
    return backend.port();
  }

  /** Stops the server; clients then see refused connections. Blocks until it is down. */
  public synchronized void stop() {
    backend.stop();
  }

  /**
   * Writes a snapshot now ({@code SAVE}), so that a {@link #stop()} and {@link #start()} keep the data, as a Redis
   * with persistence would. Without it a restarted server is empty.
   */
  public void save() {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("SAVE\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] reply = new byte[64];
      int n = socket.getInputStream().read(reply);
      String answer = new String(reply, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.US_ASCII);
      if (!answer.startsWith("+OK")) {
        throw new IllegalStateException("SAVE failed: " + answer.trim());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts a stopped server again, on the same port: empty, unless {@link #save()} ran before the stop. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("this Redis server was closed");
    }
    backend.start();
  }

  /** Stops the server for good. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      backend.close();
    }
  }

  private static RedisServer launch(boolean dedicated) {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      if (dedicated) {
        Assumptions.abort("REDIS_URL names an external Redis; this test needs a server it can stop and start");
      }
      return new RedisServer(new External(url));
    }
    Backend backend = dockerAvailable() ? new RedisContainer() : new RedisProcess();
    backend.start();
    RedisServer server = new RedisServer(backend);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-stop"));
    return server;
  }

  // Testcontainers probes several places and can hang on a half-configured Docker; a bounded probe on a daemon
  // thread keeps a machine without Docker fast.
  private static synchronized boolean dockerAvailable() {
    if (docker == null) {
      try {
        docker = CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable())
            .get(DOCKER_PROBE_SECONDS, TimeUnit.SECONDS);
      } catch (Exception | LinkageError e) {
        docker = false;
      }
    }
    return docker;
  }

  /** One way of running Redis. */
  interface Backend {
    String url();

    int port();

    void start();

    void stop();

    void close();
  }

  /** A server somebody else runs: it can be used, not stopped. */
  private record External(String url) implements Backend {
    @Override
    public int port() {
      int port = URI.create(url).getPort();
      return port == -1 ? 6379 : port;
    }

    @Override
    public void start() {
      Assumptions.abort("REDIS_URL names an external Redis, which tests cannot start");
    }

    @Override
    public void stop() {
      Assumptions.abort("REDIS_URL names an external Redis, which tests cannot stop");
    }

    @Override
    public void close() {
      // not ours to stop
    }
  }
}
