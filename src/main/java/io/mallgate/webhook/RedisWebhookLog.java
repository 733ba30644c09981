package io.mallgate.webhook;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.mallgate.redis.RedisUnavailable;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link WebhookLog} on a Redis Stream ({@code webhook.stream}, trimmed with {@code MAXLEN ~}), with the
 * de-duplication mark and the append in one Lua script. Every instance shares it, so a copy accepted by one instance
 * is a duplicate for all. A command that missed its deadline may still have run: the answer is then 503, Cafe24
 * resends, and the resend is found as a duplicate, so nothing is lost or recorded twice. Thread-safe.
 */
public final class RedisWebhookLog implements WebhookLog {

  private static final LuaScript APPEND = LuaScript.load("webhook-append");

  private final RedisCommands commands;
  private final String stream;
  private final String windowMillis;
  private final String maxLength;

  public RedisWebhookLog(RedisCommands commands, GatewayConfig.Webhook config) {
    this.commands = commands;
    this.stream = RedisKeys.webhookStream(config.stream());
    this.windowMillis = Long.toString(config.dedupWindow().toMillis());
    this.maxLength = Integer.toString(config.streamMaxLength());
  }

  @Override
  public Future<Acceptance> append(WebhookEvent event) {
    List<String> args = new ArrayList<>(List.of(windowMillis, maxLength));
    args.addAll(event.textFields());
    args.add("body");
    return commands.eval(APPEND, List.of(RedisKeys.webhookDedup(stream, event.sha256()), stream), args,
            List.of(event.body()))
        .map(RedisWebhookLog::acceptance)
        .recover(failure -> Future.failedFuture(unavailable(failure)));
  }

  /** The Redis client belongs to the gateway, which closes it. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static Acceptance acceptance(Response reply) {
    return new Acceptance(reply.get(0).toInteger() == 0, reply.get(1).toString());
  }

  /** What an unavailable Redis means to the webhook log, its fan-out and dead letters (for {@code failingAs}). */
  public static GatewayFailure storeUnavailable(RedisUnavailable unavailable) {
    return new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE,
        "the webhook store did not answer; try again shortly");
  }

  static Throwable unavailable(Throwable failure) {
    return failure instanceof GatewayFailure gateway && gateway.code() != ErrorCode.TOKEN_STORE_UNAVAILABLE
        ? failure
        : new GatewayFailure(ErrorCode.WEBHOOK_STORE_UNAVAILABLE,
            "the webhook could not be recorded; it was not accepted, send it again");
  }
}
