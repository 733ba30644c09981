package io.mallgate.usage;

import io.mallgate.redis.LuaScript;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The counts of every instance in Redis: one hash per mall and minute ({@link RedisKeys#appUsage}), each instance
 * writing its own fields with the counts it holds (one script per mall and minute, {@code app-usage-put.lua}), and
 * a read summing a mall's minutes over every instance in one script ({@code app-usage-read.lua}). All of a mall's
 * minutes share its hash tag, so on Redis Cluster one script reads them together. Every command has the client's
 * deadline and fails as {@link UsageUnavailable}. Thread-safe.
 */
final class RedisUsage {

  private static final LuaScript PUT = LuaScript.load("app-usage-put");
  private static final LuaScript READ = LuaScript.load("app-usage-read");
  /** A minute's key outlives the hour the view reads by a couple of minutes past its last write. */
  static final long TTL_SECONDS = (UsageWindows.MINUTES + 2) * 60L;

  private final RedisCommands commands;
  /** This process's own fields: random per start, so a restarted instance never lowers what it wrote before. */
  private final String instance;

  RedisUsage(RedisCommands commands) {
    this.commands = commands.failingAs(unavailable -> new UsageUnavailable());
    this.instance = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /** Writes this instance's counts of one of the mall's minutes (idempotent: the larger count of each is kept). */
  Future<Void> write(String mall, MinuteCounts minute) {
    List<String> args = new ArrayList<>(2 + minute.apps().size() * 2);
    args.add(Long.toString(TTL_SECONDS));
    args.add(instance);
    minute.apps().forEach((app, counts) -> {
      args.add(app);
      args.add(counts.calls() + " " + counts.cafe24Calls() + " " + counts.cafe24Throttled());
    });
    return commands.eval(PUT, List.of(RedisKeys.appUsage(mall, minute.minute())), args).mapEmpty();
  }

  /** The mall's counts per app over minutes {@code from} to {@code to} (inclusive), every instance's summed. */
  Future<Map<String, AppCounts>> read(String mall, long from, long to) {
    List<String> keys = new ArrayList<>((int) (to - from + 1));
    for (long minute = from; minute <= to; minute++) {
      keys.add(RedisKeys.appUsage(mall, minute));
    }
    return commands.eval(READ, keys, List.of()).map(RedisUsage::totals);
  }

  private static Map<String, AppCounts> totals(Response reply) {
    Map<String, AppCounts> totals = new HashMap<>();
    for (int i = 0; reply != null && i + 3 < reply.size(); i += 4) {
      totals.put(reply.get(i).toString(), new AppCounts(reply.get(i + 1).toLong(), reply.get(i + 2).toLong(),
          reply.get(i + 3).toLong()));
    }
    return totals;
  }
}
