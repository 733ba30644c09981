package io.mallgate.keepalive;

import io.vertx.core.Future;

/**
 * Who runs the cluster-wide chores (the keep-alive scan): at most one instance at a time leads. With Redis,
 * {@link RedisLeadership}; the embedded store serves one instance, which always leads ({@link #always()}).
 */
public interface Leadership {

  /**
   * Starts competing for the lead in the background; {@code elected} runs (on the caller's context) each time this
   * instance becomes the leader.
   */
  void start(Runnable elected);

  /** Whether this instance leads right now; a leader that could not renew its lease in time no longer does. */
  boolean leading();

  /** Stops competing and gives the lead up at once, so another instance need not wait out the lease. Never fails. */
  Future<Void> stop();

  /** The single instance of the embedded mode: it leads from start to stop. */
  static Leadership always() {
    return new Leadership() {
      private volatile boolean started;

      @Override
      public void start(Runnable elected) {
        started = true;
        elected.run();
      }

      @Override
      public boolean leading() {
        return started;
      }

      @Override
      public Future<Void> stop() {
        started = false;
        return Future.succeededFuture();
      }
    };
  }
}
