package io.mallgate.token;

import io.vertx.core.Future;


/**
 * Tells every gateway instance that a mall's stored tokens changed, so each drops its cached copy at once instead of
 * waiting for the cache TTL (which stays as the backstop for a lost message).
 */
public interface TokenUpdates {

  /**
   * Announces that the mall's record is now at {@code version} (or gone: {@link Long#MAX_VALUE}) to every instance,
   * this one included. Completes even when the announcement could not be sent: the cache TTL covers that.
   */
  Future<Void> publish(String mall, long version);

  /** Registers the one listener of this instance. */
  void subscribe(Listener listener);

  /** Stops listening. */
  Future<Void> close();

  /** Receives announcements. */
  interface Listener {

    /** The mall's record reached {@code version}: drop a cached copy that is older. */
    void changed(String mall, long version);

    /** Announcements may have been missed (a subscription was re-established): drop everything. */
    void missed();
  }

  /** For the embedded mode: the only instance learns of its own changes directly. */
  static TokenUpdates local() {
    return new TokenUpdates() {
      private volatile Listener listener;

      @Override
      public Future<Void> publish(String mall, long version) {
        Listener current = listener;
        if (current != null) {
          current.changed(mall, version);
        }
        return Future.succeededFuture();
      }

      @Override
      public void subscribe(Listener listener) {
        this.listener = listener;
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }
}
