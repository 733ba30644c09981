package io.mallgate.refresh;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * An instance's real Redis client, watched: it remembers when this instance last sent a {@code SET}, which only the
 * refresh lock sends ({@code SET lock owner NX PX lease}). A lease granted by that command cannot end before that
 * moment plus the lease, which gives {@link PausingRefreshLock} an exact lower bound for the lease's end without
 * guessing network delays.
 */
final class WatchedRedis implements Redis {

  private final Redis delegate;
  private volatile long lastSetSentNanos;

  WatchedRedis(Redis delegate) {
    this.delegate = delegate;
  }

  /** {@link System#nanoTime()} just before this client last sent a {@code SET}. */
  long lastSetSentNanos() {
    return lastSetSentNanos;
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Response> send(Request request) {
    if (Command.SET.equals(request.command())) {
      lastSetSentNanos = System.nanoTime();
    }
    return delegate.send(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return delegate.batch(requests);
  }
}
