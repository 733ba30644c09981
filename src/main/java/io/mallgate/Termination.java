package io.mallgate;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What SIGTERM and SIGINT do to a running gateway. The first signal stops it gracefully — Vert.x undeploys the
 * gateway, which drains for up to {@code server.shutdownGrace} ({@link Gateway#close}) — and the process exits 0.
 * A second signal, while that runs, stops the process at once (exit 128 + signal number, as a shell reports it).
 *
 * <p>Why {@code sun.misc.Signal} rather than a shutdown hook: once the JVM runs its hooks it ignores further signals,
 * so an operator could not cut a drain short; and a hook cannot tell how the process is being stopped. The class is
 * in {@code jdk.unsupported}, exported on purpose for this use and present in every JDK since 9.
 */
final class Termination {

  private static final Logger LOG = LoggerFactory.getLogger(Termination.class);
  /** Beyond the grace: closing the clients and Redis, and a margin for a slow machine. */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final Duration grace;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private Termination(Vertx vertx, Duration grace) {
    this.vertx = vertx;
    this.grace = grace;
  }

  /** Installs the handlers for SIGTERM and SIGINT. Call once, from the main thread, after Vert.x started. */
  static void install(Vertx vertx, Duration grace) {
    Termination termination = new Termination(vertx, grace);
    Signal.handle(new Signal("TERM"), termination::handle);
    Signal.handle(new Signal("INT"), termination::handle);
  }

  // Runs on a thread the JVM starts per signal, never an event loop: it may block while the gateway drains.
  private void handle(Signal signal) {
    if (!stopping.compareAndSet(false, true)) {
      LOG.warn("SIG{} received again: stopping at once, requests in flight are cut", signal.getName());
      Runtime.getRuntime().halt(128 + signal.getNumber());
      return;
    }
    LOG.info("SIG{} received: stopping gracefully within {} s (send it again to stop at once)", signal.getName(),
        grace.toSeconds());
    int exit = 0;
    try {
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(grace.plus(CLOSE_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.error("the gateway did not stop cleanly ({}): exiting anyway", e.getClass().getSimpleName());
      exit = 1;
    }
    System.exit(exit);
  }
}
