package io.mallgate.webhook.fanout;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.webhook.RedisWebhookLog;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One subscriber's view of the webhook stream: its consumer group ({@link RedisKeys#webhookSubscriberGroup}), read
 * without blocking, the group's pending list as the retry state, and the step to the dead letters. Every command goes
 * through {@link RedisCommands}, so each has the deadline and none holds a pooled connection while it waits for
 * events. Thread-safe.
 */
final class SubscriberStream {

  private static final LuaScript GROUP = LuaScript.load("webhook-group");
  private static final LuaScript DEAD = LuaScript.load("webhook-dead");
  private static final LuaScript PRUNE = LuaScript.load("webhook-consumers-prune");

  private final RedisCommands commands;
  private final String stream;
  private final String deadLetters;
  private final String group;
  private final String maxLength;

  SubscriberStream(RedisCommands commands, String stream, String subscriber, int maxLength) {
    this.commands = commands.failingAs(RedisWebhookLog::storeUnavailable);
    this.stream = RedisKeys.webhookStream(stream);
    this.deadLetters = RedisKeys.webhookDeadLetters(stream);
    this.group = RedisKeys.webhookSubscriberGroup(subscriber);
    this.maxLength = Integer.toString(maxLength);
  }

  /**
   * Creates the group at the stream's end unless it exists: a new subscriber gets the events recorded from its first
   * start on, not the stream's whole history (which may be a million entries).
   */
  Future<Boolean> ensureGroup() {
    return commands.eval(GROUP, List.of(stream), List.of(group, "$")).map(created -> created.toInteger() == 1);
  }

  /** Up to {@code count} events never delivered to this group, now pending for {@code consumer}. */
  Future<List<StreamEntry>> readNew(String consumer, int count) {
    return commands.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer)
            .arg("COUNT").arg(count).arg("STREAMS").arg(stream).arg(">"))
        .map(reply -> StreamEntry.read(reply, stream));
  }

  /** Pending events (of any consumer) idle for at least {@code minIdleMillis}, oldest first. */
  Future<List<Pending>> pending(long minIdleMillis, int count) {
    return commands.send(Request.cmd(Command.XPENDING).arg(stream).arg(group).arg("IDLE").arg(minIdleMillis)
            .arg("-").arg("+").arg(count))
        .map(SubscriberStream::pendingList);
  }

  /**
   * Takes a pending event over for {@code consumer} if it is still idle for {@code minIdleMillis}: of several instances
   * trying at once only one gets it, since the claim resets its idle time. Empty when someone else took it, it was
   * acknowledged meanwhile, or the stream was trimmed past it (Redis then drops it from the pending list).
   */
  Future<List<StreamEntry>> claim(String consumer, long minIdleMillis, String id) {
    return commands.send(Request.cmd(Command.XCLAIM).arg(stream).arg(group).arg(consumer).arg(minIdleMillis).arg(id))
        .map(StreamEntry::list);
  }

  /** Whether the entry is still in the stream (false: trimmed by {@code MAXLEN ~}, or deleted). */
  Future<Boolean> exists(String id) {
    return commands.send(Request.cmd(Command.XRANGE).arg(stream).arg(id).arg(id))
        .map(reply -> !StreamEntry.list(reply).isEmpty());
  }

  /**
   * Removes this group's consumers, other than {@code keep}, that are idle for at least {@code minIdleMillis} and
   * have no pending entries (what restarts leave behind); never one with pending entries.
   *
   * @return how many were removed
   */
  Future<Long> pruneConsumers(String keep, long minIdleMillis) {
    return commands.eval(PRUNE, List.of(stream), List.of(group, Long.toString(minIdleMillis), keep))
        .map(Response::toLong);
  }

  Future<Void> ack(String id) {
    return commands.send(Request.cmd(Command.XACK).arg(stream).arg(group).arg(id)).mapEmpty();
  }

  /**
   * Acknowledges the event and appends it to the dead letters in one step.
   *
   * @param extra fields describing the failure (never a secret)
   * @return whether it was appended (false: it was no longer pending, someone else finished it)
   */
  Future<Boolean> deadLetter(StreamEntry entry, Map<String, String> extra) {
    List<String> args = new ArrayList<>(List.of(group, entry.id(), maxLength));
    extra.forEach((name, value) -> {
      args.add(name);
      args.add(value);
    });
    entry.fields().forEach((name, value) -> {
      args.add(name);
      args.add(value);
    });
    args.add("body");
    return commands.eval(DEAD, List.of(stream, deadLetters), args, List.<Buffer>of(entry.body()))
        .map(reply -> reply != null && reply.toString() != null && !reply.toString().isEmpty());
  }

  /** An entry of the pending list: its id and how often it was delivered (attempts so far). */
  record Pending(String id, long idleMillis, long deliveries) {
  }

  private static List<Pending> pendingList(Response reply) {
    List<Pending> pending = new ArrayList<>();
    if (reply != null) {
      for (Response item : reply) {
        pending.add(new Pending(item.get(0).toString(), item.get(2).toLong(), item.get(3).toLong()));
      }
    }
    return pending;
  }
}
