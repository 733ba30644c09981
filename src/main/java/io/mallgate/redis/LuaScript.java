package io.mallgate.redis;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept in {@code src/main/resources/redis/<name>.lua}, loaded once, with its SHA-1 computed locally.
 * Run it with {@link RedisCommands#eval}: that sends EVALSHA (only the 40-character digest on the wire) and falls
 * back to EVAL with the source when the server answers {@code NOSCRIPT}, which happens after a Redis restart, a
 * failover or on a Cluster node that never saw the script. EVAL also caches the script, so the next EVALSHA hits.
 *
 * <p>Immutable and thread-safe. Load scripts once, into {@code static final} fields: loading reads the class path,
 * which is blocking I/O, just like class loading.
 */
public final class LuaScript {

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  /**
   * Loads {@code redis/<name>.lua} from the class path.
   *
   * @throws IllegalStateException when the resource is missing (a packaging error)
   */
  public static LuaScript load(String name) {
    String resource = "redis/" + name + ".lua";
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Lua script not found on the class path: " + resource);
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + resource, e);
    }
  }

  /** The script's name, the file name without {@code .lua}. */
  public String name() {
    return name;
  }

  /** The lower-case hex SHA-1 of the source, as Redis computes it for EVALSHA. */
  public String sha1() {
    return sha1;
  }

  /** EVALSHA, then EVAL when the server does not have the script; other error replies pass through as they are. */
  Future<Response> run(RedisCommands commands, List<String> keys, List<String> args) {
    return run(commands, keys, args, List.of());
  }

  /** As {@link #run(RedisCommands, List, List)}, with byte arguments after the text ones, sent as they are. */
  Future<Response> run(RedisCommands commands, List<String> keys, List<String> args, List<Buffer> bytes) {
    return commands.sendRaw(request(Command.EVALSHA, sha1, keys, args, bytes))
        .recover(failure -> failure instanceof RedisReplyError error && "NOSCRIPT".equals(error.code())
            ? commands.sendRaw(request(Command.EVAL, source, keys, args, bytes))
            : Future.failedFuture(failure));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args,
      List<Buffer> bytes) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    bytes.forEach(request::arg);
    return request;
  }

  private static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + ", sha1=" + sha1 + "]";
  }
}
