package io.mallgate.webhook.fanout;

import io.mallgate.redis.RedisCommands;
import io.mallgate.webhook.RedisWebhookLog;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DeadLetterStore} on the dead-letter stream ({@link RedisKeys#webhookDeadLetters}), which the fan-out's
 * script appends to. Thread-safe.
 */
public final class DeadLetters implements DeadLetterStore {
  /** Entries scanned per page at most, so a filter that matches little cannot make one request read the stream. */
  private static final int SCAN_LIMIT = 1000;

  private final RedisCommands commands;
  private final String key;

  public DeadLetters(RedisCommands commands, String stream) {
    this.commands = commands.failingAs(RedisWebhookLog::storeUnavailable);
    this.key = RedisKeys.webhookDeadLetters(stream);
  }

  @Override
  public Future<Page> page(String subscriber, String after, int count) {
    String start = after.isEmpty() ? "-" : "(" + after;
    return commands.send(Request.cmd(Command.XRANGE).arg(key).arg(start).arg("+").arg("COUNT").arg(SCAN_LIMIT))
        .map(StreamEntry::list)
        .map(scanned -> {
          List<StreamEntry> matching = new ArrayList<>();
          String last = null;
          for (StreamEntry entry : scanned) {
            if (matching.size() == count) {
              return new Page(matching, last);
            }
            last = entry.id();
            if (subscriber.isEmpty() || subscriber.equals(entry.field("subscriber"))) {
              matching.add(entry);
            }
          }
          return new Page(matching, scanned.size() == SCAN_LIMIT ? last : null);
        });
  }

  @Override
  public Future<StreamEntry> get(String id) {
    return commands.send(Request.cmd(Command.XRANGE).arg(key).arg(id).arg(id))
        .map(reply -> StreamEntry.list(reply).stream().findFirst().orElse(null));
  }

  @Override
  public Future<Boolean> delete(String id) {
    return commands.send(Request.cmd(Command.XDEL).arg(key).arg(id)).map(reply -> reply.toLong() > 0);
  }
}
