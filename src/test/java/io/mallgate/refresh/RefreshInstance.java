package io.mallgate.refresh;

import io.mallgate.config.GatewayConfig;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.token.InstallHints;
import io.mallgate.token.RedisRefreshLock;
import io.mallgate.token.RedisTokenStore;
import io.mallgate.token.RedisTokenUpdates;
import io.mallgate.token.RefreshListener;
import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenRefresher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.multipart.FormDataPart;
import io.vertx.ext.web.multipart.MultipartForm;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * One gateway instance as far as refreshing goes, built like {@code Gateway} builds it — its own Vert.x, its own
 * Redis client, {@link RedisTokenStore}, {@link RedisRefreshLock}, {@link TokenEndpoint} over a WebClient,
 * {@link RedisTokenUpdates} and {@link TokenRefresher} — with the store and the lock wrapped in the pausing, recording
 * decorators. The WebClient carries an interceptor that only watches: which refresh token each request presents and
 * what came back. {@link #stop()} closes the Vert.x instance as a crash would: in-flight calls die, a held lock is
 * never released and must expire.
 */
final class RefreshInstance {

  /** What differs between instances of one run. */
  record Settings(Duration lease, Duration deadline, Duration lockWait, Pauses.Profile pauses) {
  }

  final String name;
  private final Vertx vertx;
  private final Context context;
  private final RunTrace trace;
  private final TokenRefresher refresher;
  private final Promise<Void> stopRequested = Promise.promise();
  private volatile boolean stopped;
  private volatile Future<Void> closed;

  RefreshInstance(String name, GatewayConfig config, TokenCodec codec, Settings settings, Random random,
      RunTrace trace) {
    this.name = name;
    this.trace = trace;
    // One event loop per instance, as a small gateway process has; no file cache directory per instance.
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1).setFileSystemOptions(new FileSystemOptions()
            .setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    this.context = vertx.getOrCreateContext();
    Pauses pauses = settings.pauses().create(vertx, random, millis -> {
      trace.event(name, "stalls " + millis + " ms");
      trace.count("pause.stall");
    });
    WatchedRedis redis = new WatchedRedis(RedisClientFactory.create(vertx, config.redis()));
    RedisCommands commands = new RedisCommands(redis, Duration.ofSeconds(3));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Mallgate")
        .setFollowRedirects(false).setConnectTimeout(2_000));
    client.addInterceptor(this::watch);
    this.refresher = new TokenRefresher(vertx,
        new PausingTokenStore(new RedisTokenStore(commands, codec), pauses, trace, name),
        new PausingRefreshLock(new RedisRefreshLock(vertx, commands, settings.lease()), settings.lease(),
            redis::lastSetSentNanos, pauses, trace, name),
        new TokenEndpoint(client, config.cafe24(), settings.deadline()),
        new RedisTokenUpdates(vertx, redis, commands), listener(), Clock.systemUTC(), settings.lockWait(),
        new InstallHints(mall -> "http://127.0.0.1/oauth/install?mall_id=" + mall));
    trace.event(name, "started: lease " + settings.lease().toMillis() + " ms, deadline "
        + settings.deadline().toMillis() + " ms, lock wait " + settings.lockWait().toMillis() + " ms");
  }

  boolean stopped() {
    return stopped;
  }

  /**
   * Calls {@code refresher.refresh(mall, seen)} on this instance's context after {@code delayMillis}.
   *
   * @return completes when the call does, or when this instance is stopped (its calls may then never end)
   */
  Future<Void> refresh(String mall, long seen, long delayMillis) {
    Promise<Void> over = Promise.promise();
    stopRequested.future().onComplete(stop -> over.tryComplete());
    context.runOnContext(go -> vertx.setTimer(Math.max(1, delayMillis), fired -> {
      long start = trace.tick();
      trace.event(name, "refresh(seen v" + seen + ") called");
      refresher.refresh(mall, seen).onComplete(done -> {
        trace.refreshEnded(name, seen, start, done, stopped);
        over.tryComplete();
      });
    }));
    return over.future();
  }

  /** Calls {@code refresh} now and gives its outcome (for the final, quiescent call). */
  Future<TokenRecord> refreshNow(String mall, long seen) {
    Promise<TokenRecord> outcome = Promise.promise();
    context.runOnContext(go -> {
      long start = trace.tick();
      trace.event(name, "final refresh(seen v" + seen + ") called");
      refresher.refresh(mall, seen).onComplete(done -> {
        trace.refreshEnded(name, seen, start, done, stopped);
        outcome.handle(done);
      });
    });
    return outcome.future();
  }

  /** Crashes the instance: closes its Vert.x without releasing anything. */
  Future<Void> stop() {
    if (!stopped) {
      stopped = true;
      trace.event(name, "STOPPED: Vert.x closed; in-flight calls die, a held lock must expire");
      trace.uncertain("an instance was stopped");
      trace.count("instance.stopped");
      stopRequested.tryComplete();
      closed = vertx.close();
    }
    return closed;
  }

  /** Shuts the instance down at the end of a run. */
  Future<Void> close() {
    if (!stopped) {
      stopped = true;
      stopRequested.tryComplete();
      closed = vertx.close();
    }
    return closed;
  }

  private void watch(HttpContext<?> ctx) {
    MultiMap form = ctx.phase() == ClientPhase.PREPARE_REQUEST ? form(ctx.body()) : null;
    if (form != null && "refresh_token".equals(form.get("grant_type"))) {
      String presented = form.get("refresh_token");
      RunTrace.Presentation presentation = trace.presented(name, presented);
      ctx.future().onComplete(done -> {
        if (done.failed()) {
          trace.answered(presentation, presented, stopped ? "killed" : "no_answer", null);
        } else {
          answered(presentation, presented, done.result());
        }
      });
    }
    ctx.next();
  }

  /** The attributes of a form body ({@code sendForm} turns its MultiMap into a MultipartForm), else null. */
  private static MultiMap form(Object body) {
    if (body instanceof MultiMap map) {
      return map;
    }
    if (!(body instanceof MultipartForm parts)) {
      return null;
    }
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (FormDataPart part : parts) {
      if (part.isAttribute()) {
        map.add(part.name(), part.value());
      }
    }
    return map;
  }

  private void answered(RunTrace.Presentation presentation, String presented, HttpResponse<?> response) {
    int status = response.statusCode();
    JsonObject body = null;
    try {
      body = response.bodyAsJsonObject();
    } catch (RuntimeException notJson) {
      // left null: the outcome is then named by the status alone
    }
    if (status == 200 && body != null) {
      trace.answered(presentation, presented, "ok", body.getString("refresh_token"));
    } else {
      String error = status < 500 && body != null ? body.getString("error", "http_" + status) : "http_" + status;
      trace.answered(presentation, presented, error, null);
    }
  }

  private RefreshListener listener() {
    return new RefreshListener() {
      @Override
      public void refreshed(String mall, TokenRecord record) {
        trace.count("refresher.refreshed");
      }

      @Override
      public void refreshFailed(String mall, TokenRecord.RefreshAttempt attempt) {
        trace.count("refresher.gave_up." + attempt.outcome());
      }

      @Override
      public void reauthorizationRequired(String mall, TokenRecord.Reauthorization reauthorization) {
        trace.count("refresher.marked." + reauthorization.reason());
      }
    };
  }
}
