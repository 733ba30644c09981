package io.mallgate.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the gateway sends Redis commands. It adds what the client lacks: a deadline on every command, and one
 * failure type. Any failure — deadline passed, connection refused or closed, Redis loading or failing over, or an
 * error reply — fails the Future with a {@link RedisUnavailable}, or with what the caller made that mean through
 * {@link #failingAs} (the token store's {@code token_store_unavailable}, the webhook log's own code), and is logged
 * once at WARN with the command name only: arguments can hold tokens.
 *
 * <p>A command that missed its deadline may still run on the server later: writers must not assume it did not
 * happen (the refresh protocol re-reads the version for this reason). Thread-safe; Futures complete on the
 * caller's context.
 */
public final class RedisCommands {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCommands.class);

  /** Error replies that say Redis cannot serve right now, rather than that the command was wrong. */
  private static final Set<String> UNAVAILABLE_REPLIES = Set.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN",
      "TRYAGAIN", "READONLY", "NOREPLICAS", "CONNECTION_CLOSED", "MISCONF");

  /** Credentials in a connection string ({@code redis://user:pass@host}) that a network error might quote. */
  private static final Pattern URL_CREDENTIALS = Pattern.compile("://[^@/\\s]*@");

  private final Redis redis;
  private final long deadlineMillis;
  private final CommandGate gate;
  private final CommandListener listener;
  private final Function<RedisUnavailable, ? extends RuntimeException> meaning;

  /**
   * @param redis    the pooled client ({@link RedisClientFactory#create})
   * @param deadline the longest any single command may take, from sending to reply; must be positive
   */
  public RedisCommands(Redis redis, Duration deadline) {
    this(redis, deadline, Integer.MAX_VALUE, CommandListener.NONE);
  }

  /**
   * @param redis       the pooled client ({@link RedisClientFactory#create})
   * @param deadline    the longest any single command may take, from the call (waiting included) to the reply
   * @param maxInFlight commands sent at once at most; the others wait in order, within their deadline. Keep it
   *     below the client's pool size (see {@link CommandGate}: a Redis Cluster deadlocks otherwise)
   * @param listener    hears of every command's name, duration and outcome (metrics)
   */
  public RedisCommands(Redis redis, Duration deadline, int maxInFlight, CommandListener listener) {
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("redis command deadline must be positive");
    }
    this.redis = redis;
    this.deadlineMillis = deadline.toMillis();
    this.gate = new CommandGate(maxInFlight);
    this.listener = listener;
    this.meaning = unavailable -> unavailable;
  }

  private RedisCommands(RedisCommands shared, Function<RedisUnavailable, ? extends RuntimeException> meaning) {
    this.redis = shared.redis;
    this.deadlineMillis = shared.deadlineMillis;
    this.gate = shared.gate;
    this.listener = shared.listener;
    this.meaning = meaning;
  }

  /**
   * The same commands (same client, deadline, in-flight gate and listener), failing with what {@code meaning} makes
   * of a {@link RedisUnavailable}: each feature says once, at construction, what an unavailable Redis means to it.
   */
  public RedisCommands failingAs(Function<RedisUnavailable, ? extends RuntimeException> meaning) {
    return new RedisCommands(this, meaning);
  }

  /**
   * Sends one command under the deadline.
   *
   * @return the reply ({@code null} for a nil reply); fails with a {@link RedisUnavailable} or its meaning
   */
  public Future<Response> send(Request request) {
    return unavailableOnReplyError(request.command().toString(), sendRaw(request));
  }

  /**
   * Runs a script with its keys (all in one Cluster slot: build them with {@link RedisKeys}) and arguments, by SHA-1
   * first and by source when the server does not know it yet. Fails like {@link #send}. Each round trip has the
   * deadline, so a script the server has forgotten may take up to twice as long.
   */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
    return unavailableOnReplyError("EVALSHA " + script.name(), script.run(this, keys, args));
  }

  /**
   * As {@link #eval(LuaScript, List, List)}, with byte arguments (raw bodies, which need not be UTF-8) after the text
   * ones.
   */
  public Future<Response> eval(LuaScript script, List<String> keys, List<String> args, List<Buffer> bytes) {
    return unavailableOnReplyError("EVALSHA " + script.name(), script.run(this, keys, args, bytes));
  }

  /** Closes the client and its connections; later commands fail as unavailable. */
  public Future<Void> close() {
    return redis.close();
  }

  /**
   * Like {@link #send}, except that an error reply about the command itself fails with {@link RedisReplyError}
   * (unlogged), so the caller can react to it. Connectivity problems already fail as unavailable.
   */
  Future<Response> sendRaw(Request request) {
    String command = request.command().toString();
    long start = System.nanoTime();
    return withinDeadline(gaveUp -> gate.run(() -> redis.send(request), gaveUp))
        .recover(cause -> Future.failedFuture(classify(command, cause)))
        // A script the server does not know yet (NOSCRIPT) is the EVALSHA protocol, not a failure.
        .andThen(outcome -> listener.done(command.toLowerCase(Locale.ROOT), System.nanoTime() - start,
            outcome.failed() && !isNoScript(outcome.cause())));
  }

  /**
   * The reply, or a {@link TimeoutException} once the deadline has passed; the deadline's timer runs on the caller's
   * context, so the reply is handled there either way. {@code gaveUp} completes when the caller stops waiting.
   */
  private Future<Response> withinDeadline(Function<Future<Void>, Future<Response>> send) {
    Promise<Response> answered = Promise.promise();
    Promise<Void> gaveUp = Promise.promise();
    Context context = Vertx.currentContext();
    if (context == null) {
      // Off any event loop (tests, start-up): the plain timeout will do.
      return send.apply(gaveUp.future()).timeout(deadlineMillis, TimeUnit.MILLISECONDS)
          .onFailure(failure -> gaveUp.tryComplete());
    }
    long timer = context.owner().setTimer(deadlineMillis, t -> {
      gaveUp.tryComplete();
      answered.tryFail(new TimeoutException("redis command deadline passed"));
    });
    send.apply(gaveUp.future()).onComplete(outcome -> {
      context.owner().cancelTimer(timer);
      if (outcome.succeeded()) {
        answered.tryComplete(outcome.result());
      } else {
        answered.tryFail(outcome.cause());
      }
    });
    return answered.future();
  }

  private static boolean isNoScript(Throwable failure) {
    return failure instanceof RedisReplyError reply && "NOSCRIPT".equals(reply.code());
  }

  private Future<Response> unavailableOnReplyError(String command, Future<Response> reply) {
    return reply.recover(cause -> {
      if (cause instanceof RedisReplyError error) {
        LOG.warn("redis {} failed: error reply {}", command, error.code());
        return Future.failedFuture(unavailable());
      }
      return Future.failedFuture(cause);
    });
  }

  private Throwable classify(String command, Throwable cause) {
    if (cause instanceof RedisUnavailable) {
      return unavailable();
    }
    if (cause instanceof Response reply && reply.type() == ResponseType.ERROR) {
      String code = replyCode(cause.getMessage());
      if (!UNAVAILABLE_REPLIES.contains(code)) {
        return new RedisReplyError(code);
      }
      LOG.warn("redis {} failed: error reply {}", command, code);
      return unavailable();
    }
    LOG.warn("redis {} failed: {}", command, describe(cause));
    return unavailable();
  }

  private static String replyCode(String message) {
    if (message == null || message.isBlank()) {
      return "ERR";
    }
    String first = message.strip().split("\\s+", 2)[0];
    return first.toUpperCase(Locale.ROOT);
  }

  // Network errors name the host and port, which operators need; they never carry arguments, but a connection
  // string might slip in, so any credentials in it are masked.
  private static String describe(Throwable cause) {
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return cause.getClass().getSimpleName() + URL_CREDENTIALS.matcher(message).replaceAll("://***@");
  }

  private RuntimeException unavailable() {
    return meaning.apply(new RedisUnavailable());
  }
}
