package io.mallgate.webhook.fanout;

import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dead-letter stream ({@link RedisKeys#webhookDeadLetters}) as the admin API sees it: pages by id, one entry, and
 * removal. Each dead letter holds the event's own fields and body plus {@code subscriber}, {@code original_id},
 * {@code attempts}, {@code last_status}, {@code last_error} and {@code dead_at}. Thread-safe.
 */
public final class DeadLetters {

  /** A stream id as Redis writes it; anything else is refused before it reaches a command. */
  static final Pattern ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
  /** Entries scanned per page at most, so a filter that matches little cannot make one request read the stream. */
  private static final int SCAN_LIMIT = 1000;

  private final RedisCommands commands;
  private final String key;

  public DeadLetters(RedisCommands commands, String stream) {
    this.commands = commands;
    this.key = RedisKeys.webhookDeadLetters(stream);
  }

  /**
   * Up to {@code count} dead letters after the id {@code after} ({@code ""}: from the oldest), of {@code subscriber}
   * only when it is not empty.
   *
   * @return the page, and the id to continue after ({@code null} when the stream is exhausted)
   */
  Future<Page> page(String subscriber, String after, int count) {
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

  /** The dead letter with this id, or {@code null}. */
  Future<StreamEntry> get(String id) {
    return commands.send(Request.cmd(Command.XRANGE).arg(key).arg(id).arg(id))
        .map(reply -> StreamEntry.list(reply).stream().findFirst().orElse(null));
  }

  /** Removes the dead letter; false when there was none with this id. */
  Future<Boolean> delete(String id) {
    return commands.send(Request.cmd(Command.XDEL).arg(key).arg(id)).map(reply -> reply.toLong() > 0);
  }

  /** One page of dead letters; {@code next} is the id to pass as {@code after} for the next page, or null. */
  record Page(List<StreamEntry> entries, String next) {
  }
}
