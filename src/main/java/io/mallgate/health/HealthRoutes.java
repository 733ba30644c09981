package io.mallgate.health;

import io.mallgate.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health/live} and {@code GET /health/ready}, open to anyone (probes cannot send the admin token).
 *
 * <ul>
 *   <li><b>live</b>: check {@code event-loop}. Its answer proves the process and the event loop serving it respond;
 *       it never looks at Redis, so a Redis outage never makes an orchestrator restart every instance.</li>
 *   <li><b>ready</b>: checks {@code config} (always up: the gateway cannot start without a valid one), {@code redis}
 *       (a {@code PING}, see {@link RedisPing}) or {@code embedded-store} (the embedded database is open),
 *       {@code shutdown} (down from the moment {@link #stopping()} is called), and any added with {@link #check}
 *       (the gateway adds {@code cafe24-client}: down while Cafe24 refuses its client credentials), and advisory
 *       checks that stay up with a {@code warning} (with Redis, {@code redis-eviction}: see {@link EvictionPolicy}).</li>
 * </ul>
 *
 * <p>Both answer 200 when every check is up, else 503, with {@code Cache-Control: no-store} and a JSON body
 * {@code {"status":"UP|DOWN","checks":[{"id":"redis","status":"DOWN","reason":"..."}]}}. No body ever carries a
 * URL, host, token or exception message: only check ids, statuses and fixed reasons.
 */
public final class HealthRoutes {

  /** Path of the liveness probe (Dockerfile HEALTHCHECK, Kubernetes startup and liveness probes). */
  public static final String LIVE = "/health/live";
  /** Path of the readiness probe (Kubernetes readiness probe, load balancers). */
  public static final String READY = "/health/ready";

  /** Slack beyond the Redis command deadline before a readiness check counts as timed out. */
  private static final long CHECK_SLACK_MILLIS = 500;

  private final HealthChecks live;
  private final HealthChecks ready;
  private volatile boolean stopping;

  private HealthRoutes(Vertx vertx, String storeCheck, long storeTimeoutMillis, Supplier<Future<Void>> store) {
    live = HealthChecks.create(vertx)
        .register("event-loop", done -> done.complete(Status.OK()));
    ready = HealthChecks.create(vertx)
        .register("config", done -> done.complete(Status.OK()))
        .register(storeCheck, storeTimeoutMillis, done -> store.get()
            .onComplete(reached -> done.complete(reached.succeeded() ? Status.OK()
                : Status.KO(reason(reached.cause().getMessage())))))
        .register("shutdown", done -> done.complete(stopping ? Status.KO(reason("the gateway is shutting down"))
            : Status.OK()));
  }

  /** Readiness through Redis: {@code commandTimeout} is the deadline the gateway's commands were built with. */
  public static HealthRoutes redis(Vertx vertx, RedisCommands commands, Duration commandTimeout) {
    RedisPing ping = new RedisPing(commands);
    return new HealthRoutes(vertx, "redis", commandTimeout.toMillis() + CHECK_SLACK_MILLIS, ping::reachable);
  }

  /** Readiness of the embedded store: {@code open} says whether the embedded database still serves. */
  public static HealthRoutes embedded(Vertx vertx, BooleanSupplier open) {
    return new HealthRoutes(vertx, "embedded-store", 1000, () -> open.getAsBoolean()
        ? Future.succeededFuture() : Future.failedFuture("the embedded token store is closed"));
  }

  /**
   * Adds a readiness check that stays up but carries a {@code warning} in its details while {@code warning} says
   * something (no I/O): what operators must fix, though the gateway serves meanwhile.
   */
  public HealthRoutes advisory(String id, Supplier<String> warning) {
    ready.register(id, done -> {
      String text = warning.get();
      done.complete(text == null ? Status.OK() : Status.OK(new JsonObject().put("warning", text)));
    });
    return this;
  }

  /**
   * Adds a readiness check that reads state the gateway already holds (no I/O).
   *
   * @param downReason a fixed reason while down, {@code null} while up; never a secret or a message from outside
   */
  public HealthRoutes check(String id, Supplier<String> downReason) {
    ready.register(id, done -> {
      String reason = downReason.get();
      done.complete(reason == null ? Status.OK() : Status.KO(reason(reason)));
    });
    return this;
  }

  /** Readiness goes down for good: called as shutdown begins, so balancers stop sending before connections close. */
  public void stopping() {
    stopping = true;
  }

  public void mount(Router router) {
    router.get(LIVE).handler(context -> answer(context, live));
    router.get(READY).handler(context -> answer(context, ready));
  }

  private static void answer(RoutingContext context, HealthChecks checks) {
    checks.checkStatus().onComplete(outcome -> {
      // A failed overall computation is reported as DOWN, never as a 500 with an exception's text.
      CheckResult result = outcome.succeeded() ? outcome.result() : null;
      boolean up = result != null && CheckResult.isUp(result);
      context.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(render(up, result).encode());
    });
  }

  private static JsonObject render(boolean up, CheckResult result) {
    JsonArray checks = new JsonArray();
    if (result != null && result.getChecks() != null) {
      for (CheckResult check : result.getChecks()) {
        checks.add(describe(check));
      }
    }
    return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
  }

  // Only our own fixed reasons are shown; a procedure that timed out gets a fixed one too (Vert.x would put its
  // exception's message in the data).
  private static JsonObject describe(CheckResult check) {
    boolean up = CheckResult.isUp(check);
    JsonObject json = new JsonObject().put("id", check.getId()).put("status", up ? "UP" : "DOWN");
    JsonObject details = check.getStatus() == null ? null : check.getStatus().getData();
    if (up && details != null && details.getString("warning") != null) {
      json.put("warning", details.getString("warning"));
    }
    if (!up) {
      JsonObject data = details;
      String reason = data == null ? null : data.getString("reason");
      json.put("reason", reason != null && check.getFailure() == null ? reason : "the check did not finish in time");
    }
    return json;
  }

  private static JsonObject reason(String text) {
    return new JsonObject().put("reason", text);
  }
}
