package io.mallgate.token;

import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenUpdates} over Redis pub/sub: {@code PUBLISH mallgate:token-updates "<mall> <version>"}, and one
 * dedicated subscriber connection per instance. When that connection drops, it is re-established with a backoff and
 * the listener is told that announcements may have been missed (it drops its whole cache), so a lost message costs
 * one store read per mall, never a stale token. Thread-safe.
 */
public final class RedisTokenUpdates implements TokenUpdates {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTokenUpdates.class);
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final Vertx vertx;
  private final Redis redis;
  private final RedisCommands commands;
  private volatile Listener listener;
  private volatile RedisConnection connection;
  private volatile boolean closed;

  public RedisTokenUpdates(Vertx vertx, Redis redis, RedisCommands commands) {
    this.vertx = vertx;
    this.redis = redis;
    this.commands = commands.failingAs(StoreUnavailable::tokenStore);
  }

  @Override
  public Future<Void> publish(String mall, long version) {
    Listener local = listener;
    if (local != null) {
      local.changed(mall, version); // this instance first, even if Redis cannot carry the message
    }
    return commands.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.tokenUpdatesChannel()).arg(mall + " " + version))
        .<Void>mapEmpty()
        .otherwise(failure -> {
          LOG.warn("could not announce the new token of mall {}; other instances catch up within tokens.cacheTtl",
              mall);
          return null;
        });
  }

  @Override
  public void subscribe(Listener listener) {
    this.listener = listener;
    connect(100, false);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    RedisConnection current = connection;
    return current == null ? Future.succeededFuture() : current.close().otherwiseEmpty();
  }

  private void connect(long backoffMillis, boolean reconnecting) {
    if (closed) {
      return;
    }
    redis.connect()
        .compose(conn -> {
          connection = conn;
          conn.handler(this::message);
          conn.exceptionHandler(failure -> LOG.debug("token update subscription failed"));
          conn.endHandler(ended -> lost(conn));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.tokenUpdatesChannel()));
        })
        .onSuccess(subscribed -> {
          if (reconnecting) {
            LOG.info("token update subscription re-established; dropping cached tokens that may be stale");
            listener.missed();
          }
        })
        .onFailure(failure -> {
          LOG.warn("cannot subscribe to token updates yet; retrying in {} ms", backoffMillis);
          vertx.setTimer(backoffMillis, t -> connect(Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2), true));
        });
  }

  private void lost(RedisConnection conn) {
    if (!closed && conn == connection) {
      LOG.warn("token update subscription lost; reconnecting");
      connection = null;
      vertx.setTimer(100, t -> connect(200, true));
    }
  }

  private void message(Response response) {
    if (response == null || (response.type() != ResponseType.PUSH && response.type() != ResponseType.MULTI)
        || response.size() != 3 || !"message".equals(response.get(0).toString())) {
      return;
    }
    String payload = response.get(2).toString();
    int space = payload.indexOf(' ');
    Listener current = listener;
    if (space > 0 && current != null) {
      try {
        current.changed(payload.substring(0, space), Long.parseLong(payload.substring(space + 1)));
      } catch (NumberFormatException e) {
        LOG.debug("ignoring a malformed token update");
      }
    }
  }
}
