package io.mallgate.testsupport;

import static org.awaitility.Awaitility.await;
import static org.awaitility.pollinterval.IterativePollInterval.iterative;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis Cluster of masters only, for tests: {@code redis-server} processes with {@code --cluster-enabled yes} on
 * free loopback ports, joined by {@code redis-cli --cluster create}. Data lives in memory only; node config files
 * live in a temporary directory that {@link #close()} deletes; process output goes to {@code target/redis-cluster/}.
 *
 * <p>{@link #start} blocks (it starts processes and polls them): call it from {@code @BeforeAll}, never from an event
 * loop. When {@code redis-server} or {@code redis-cli} is not on the {@code PATH}, it aborts the test (a JUnit
 * assumption, not an error). Close a cluster of one's own in {@code @AfterAll} (a shutdown hook stops it too), or use
 * {@link #shared()}.
 */
public final class RedisCluster implements AutoCloseable {

  private static final Duration READY_LIMIT = Duration.ofSeconds(20);
  private static final Duration CREATE_LIMIT = Duration.ofSeconds(30);
  private static final Path OUTPUT = Path.of("target", "redis-cluster").toAbsolutePath();
  // A node also listens on port + 10000 (the cluster bus), so ports stay low enough for that to exist.
  private static final int BUS_OFFSET = 10_000;
  private static final int LOWEST_PORT = 20_000;
  private static final int HIGHEST_PORT = 65_535 - BUS_OFFSET;

  private static RedisCluster shared;

  private final Path configDir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private volatile boolean closed;

  private RedisCluster(Path configDir) {
    this.configDir = configDir;
  }

  /**
   * The JVM's shared three-master cluster, started on first use and stopped by a shutdown hook, for tests that only
   * read and write (use unique keys). Never close it; a test that must stop nodes starts a cluster of its own.
   */
  public static synchronized RedisCluster shared() {
    if (shared == null || shared.closed) {
      shared = start(3);
    }
    return shared;
  }

  /**
   * Starts {@code masters} nodes, creates the cluster over them (slots spread evenly, no replicas) and waits until
   * every node reports {@code cluster_state:ok}.
   *
   * @param masters at least 3, the smallest cluster {@code redis-cli --cluster create} accepts
   * @throws IllegalStateException when the cluster does not come up in time; see {@code target/redis-cluster/}
   */
  public static RedisCluster start(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters, was " + masters);
    }
    requireOnPath("redis-server");
    requireOnPath("redis-cli");
    createOutputDir();
    RedisCluster cluster = new RedisCluster(createConfigDir());
    Thread stopper = new Thread(cluster::close, "redis-cluster-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      cluster.launch(masters);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code redis://127.0.0.1:<port>} of every master, in start order. */
  public List<String> urls() {
    return ports.stream().map(port -> "redis://127.0.0.1:" + port).toList();
  }

  /**
   * {@code redis.*} for a client of this cluster, as an operator would write it: type {@code cluster}, the first
   * node as {@code url}, the others as {@code endpoints}, a 2 s command timeout and a pool of 8.
   */
  public GatewayConfig.Redis config() {
    List<String> urls = urls();
    return new GatewayConfig.Redis("cluster", Secret.of(urls.get(0)),
        urls.subList(1, urls.size()).stream().map(Secret::of).toList(), "mymaster", Duration.ofSeconds(2), 8);
  }

  /** The masters' ports, in start order. */
  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Where the node config files live; gone after {@link #close()}. */
  Path configDir() {
    return configDir;
  }

  /** Kills every node and deletes the node config files. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      stop(process);
    }
    deleteTree(configDir);
  }

  private synchronized void launch(int masters) {
    for (int i = 0; i < masters; i++) {
      int port = freeClusterPort();
      ports.add(port);
      processes.add(startNode(port));
    }
    for (int i = 0; i < masters; i++) {
      Process node = processes.get(i);
      RedisProcess.awaitPong("127.0.0.1", ports.get(i), READY_LIMIT, node::isAlive, log("redis-" + ports.get(i)));
    }
    createCluster();
    awaitClusterOk();
  }

  private Process startNode(int port) {
    try {
      return new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes",
          "--cluster-config-file", configDir.resolve("nodes-" + port + ".conf").toString(),
          "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no", "--dir", configDir.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log("redis-" + port).toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server on port " + port, e);
    }
  }

  private void createCluster() {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(port -> command.add("127.0.0.1:" + port));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path log = log("create-" + ports.get(0));
    int exit = run(command, log, CREATE_LIMIT);
    if (exit != 0) {
      throw new IllegalStateException("redis-cli --cluster create failed (exit " + exit + "); see " + log);
    }
  }

  /** Polls {@code CLUSTER INFO} on every node, with a short backoff, until all say the cluster is ok. */
  private void awaitClusterOk() {
    List<Integer> waiting = new java.util.concurrent.CopyOnWriteArrayList<>(ports);
    try {
      await("every node reporting cluster_state:ok").atMost(READY_LIMIT).pollDelay(Duration.ZERO)
          .pollInterval(iterative(last -> RedisProcess.min(last.multipliedBy(2), Duration.ofMillis(250)),
              Duration.ofMillis(20)))
          .until(() -> {
            waiting.removeIf(this::clusterOk);
            return waiting.isEmpty();
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("nodes " + waiting + " did not report cluster_state:ok within " + READY_LIMIT
          + "; see " + OUTPUT, e);
    }
  }

  private boolean clusterOk(int port) {
    Path log = log("cluster-info-" + port);
    return run(List.of("redis-cli", "-p", Integer.toString(port), "cluster", "info"), log, READY_LIMIT) == 0
        && read(log).contains("cluster_state:ok");
  }

  /** Runs a command to completion, its output replacing {@code log}; the exit code, or -1 when it took too long. */
  private static int run(List<String> command, Path log, Duration limit) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static void stop(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** A free port whose cluster-bus port (+10000) is free too. */
  private static int freeClusterPort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
      if (port != 6379 && bindable(port) && bindable(port + BUS_OFFSET)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair for a cluster node");
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static void requireOnPath(String program) {
    String path = System.getenv("PATH");
    boolean found = path != null && Stream.of(path.split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    Assumptions.assumeTrue(found, program + " is not on the PATH: install redis-server (it brings redis-cli) to run"
        + " the Redis Cluster tests");
  }

  private static void createOutputDir() {
    try {
      Files.createDirectories(OUTPUT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + OUTPUT, e);
    }
  }

  private static Path createConfigDir() {
    try {
      return Files.createTempDirectory("mallgate-redis-cluster-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for the cluster's node files", e);
    }
  }

  private static Path log(String name) {
    return OUTPUT.resolve(name + ".log");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A left-over temporary directory is harmless; failing a test's tear-down over it is not.
    }
  }
}
