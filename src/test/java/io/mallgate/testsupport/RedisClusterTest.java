package io.mallgate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.redis.CommandListener;
import io.mallgate.redis.RedisClientFactory;
import io.mallgate.redis.RedisCommands;
import io.mallgate.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RedisCluster} itself, and what the refresh protocol needs from a cluster, checked through the gateway's own
 * client ({@link RedisClientFactory}, {@code redis.type: cluster}).
 *
 * <p>Pub/sub in CLUSTER mode, as vertx-redis-client 5.0.8 and Redis 7 (RESP3 negotiated) behave:
 * <ul>
 *   <li>{@code redis.connect()} gives a cluster connection holding one connection per master; {@code handler},
 *       {@code endHandler} and {@code exceptionHandler} are installed on all of them.</li>
 *   <li>{@code SUBSCRIBE} names no key, so the client sends it to one master picked at random. Its Future completes
 *       with {@code null}; the confirmation reaches the handler as a push {@code [subscribe, channel, count]} and each
 *       message as {@code [message, channel, payload]}. Observed: with RESP3 the connection still serves ordinary
 *       commands after subscribing.</li>
 *   <li>Classic pub/sub is cluster-wide: Redis forwards every {@code PUBLISH} over the cluster bus, so the subscriber
 *       gets the message whichever master it was published on (the pooled client, too, picks a master at random).
 *       {@code PUBLISH}'s reply counts only the receiving node's own subscribers: {@code 0} does not mean that nobody
 *       heard it. Observed: messages sent through different nodes can arrive out of publish order (a forwarded one
 *       comes later), so a message should carry the record's version, or only say "drop your copy".</li>
 *   <li>Sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+): both are routed by the channel's slot, so a
 *       channel carrying the mall's hash tag lives on the mall's master; messages are {@code [smessage, …]}.</li>
 *   <li>When the subscribed connection is dropped, the cluster connection's {@code endHandler} fires and nothing
 *       resubscribes by itself: a subscriber must {@code connect()} and {@code SUBSCRIBE} again, and treat what was
 *       published in between as lost (re-read the store, keep the cache TTL as a backstop).</li>
 * </ul>
 */
@ExtendWith(VertxExtension.class)
@Slow
class RedisClusterTest {

  // Releases the lock only for the owner that holds it, the way the refresh protocol must.
  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.shared();
  }

  @Test
  void should_free_the_ports_and_delete_the_node_files_when_closed() {
    RedisCluster own = RedisCluster.start(3);
    assertTrue(Files.isDirectory(own.configDir()));
    assertTrue(own.ports().stream().allMatch(port -> RedisProcess.ping("127.0.0.1", port)));
    own.close();
    own.close();
    assertFalse(Files.exists(own.configDir()));
    assertTrue(own.ports().stream().noneMatch(port -> RedisProcess.ping("127.0.0.1", port)));
  }

  @Test
  void should_assign_every_slot_to_three_masters_when_started(Vertx vertx, VertxTestContext ctx) {
    Future<List<String>> infos = Future.all(cluster.urls().stream()
        .map(url -> onNode(vertx, url, Request.cmd(Command.CLUSTER).arg("INFO")).map(Response::toString))
        .toList()).map(all -> all.<String>list());
    expect(ctx, infos, list -> {
      assertEquals(3, list.size());
      for (String info : list) {
        assertTrue(info.contains("cluster_state:ok"), info);
        assertTrue(info.contains("cluster_slots_assigned:16384"), info);
        assertTrue(info.contains("cluster_size:3"), info);
      }
      assertTrue(cluster.urls().stream().allMatch(url -> url.matches("redis://127\\.0\\.0\\.1:\\d+")));
    });
  }

  /**
   * The client takes one pooled connection per master for every command: with more commands in flight than a pool
   * holds, it deadlocks for good. The gate in RedisCommands keeps them within the pool, so a burst far beyond it is
   * answered in full.
   */
  @Test
  void should_answer_every_command_when_a_burst_far_beyond_the_pool_hits_the_cluster(Vertx vertx,
      VertxTestContext ctx) {
    int pool = cluster.config().poolSize();
    RedisCommands redis = new RedisCommands(RedisClientFactory.create(vertx, cluster.config()),
        cluster.config().commandTimeout(), pool - 1, CommandListener.NONE);
    List<Future<Response>> replies = new ArrayList<>();
    Promise<Void> fired = Promise.promise();
    // From an event loop, as the gateway sends them.
    vertx.runOnContext(v -> {
      for (int i = 0; i < 100 * pool; i++) {
        replies.add(redis.send(Request.cmd(Command.HMGET).arg(RedisKeys.token("burst-" + i)).arg("data")));
      }
      fired.complete();
    });
    Future<Integer> outcome = fired.future()
        .compose(done -> Future.all(replies))
        .map(all -> all.size())
        .eventually(redis::close);
    expect(ctx, outcome, answered -> assertEquals(100 * pool, answered));
  }

  @Test
  void should_grant_the_lock_once_and_release_it_only_to_its_owner_through_the_cluster_client(Vertx vertx,
      VertxTestContext ctx) {
    RedisCommands redis = new RedisCommands(RedisClientFactory.create(vertx, cluster.config()),
        cluster.config().commandTimeout());
    String mall = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    String lock = RedisKeys.lock(mall);
    Future<List<Object>> outcome = redis.send(setNx(lock, "owner-a"))
        .compose(first -> redis.send(setNx(lock, "owner-b")).map(second -> List.of(first, nil(second))))
        .compose(sets -> redis.send(Request.cmd(Command.PTTL).arg(lock)).map(ttl -> with(sets, ttl.toLong())))
        .compose(sofar -> redis.send(compareAndDelete(lock, "owner-b")).map(wrong -> with(sofar, wrong.toLong())))
        .compose(sofar -> redis.send(compareAndDelete(lock, "owner-a")).map(right -> with(sofar, right.toLong())))
        .compose(sofar -> redis.send(Request.cmd(Command.GET).arg(lock)).map(gone -> with(sofar, nil(gone))))
        .compose(sofar -> sameSlot(redis, lock, RedisKeys.token(mall)).map(same -> with(sofar, same)))
        .eventually(redis::close);
    expect(ctx, outcome, list -> {
      assertEquals("OK", list.get(0).toString());
      assertEquals("nil", list.get(1), "a second SET NX does not take a held lock");
      long ttl = (Long) list.get(2);
      assertTrue(ttl > 0 && ttl <= 5_000, "lease in ms: " + ttl);
      assertEquals(0L, list.get(3), "another owner cannot release it");
      assertEquals(1L, list.get(4), "its owner can");
      assertEquals("nil", list.get(5));
      assertEquals(true, list.get(6), "the lock and the token record share the mall's slot");
    });
  }

  @Test
  void should_deliver_what_any_master_publishes_when_subscribed_through_the_cluster_client(Vertx vertx,
      VertxTestContext ctx) {
    Redis client = RedisClientFactory.create(vertx, cluster.config());
    String channel = "mallgate:test:" + UUID.randomUUID();
    List<String> urls = cluster.urls();
    Checkpoint delivered = ctx.checkpoint(urls.size() + 1);
    Checkpoint checked = ctx.checkpoint();
    client.connect()
        .compose(conn -> subscribe(conn, Command.SUBSCRIBE, channel, onMessage("message", channel, delivered)))
        .compose(subscribed -> subscribers(vertx, "NUMSUB", channel))
        .compose(perNode -> {
          ctx.verify(() -> assertEquals(1, perNode.stream().mapToLong(Long::longValue).sum(),
              "the subscription lives on exactly one master: " + perNode));
          return Future.all(urls.stream().map(url -> onNode(vertx, url, publish(channel, "via " + url))).toList());
        })
        .compose(published -> {
          long counted = published.<Response>list().stream().mapToLong(reply -> reply.toLong()).sum();
          ctx.verify(() -> assertEquals(1, counted, "each PUBLISH counts only its own node's subscribers"));
          return client.send(publish(channel, "via the pooled cluster client"));
        })
        .onComplete(ctx.succeeding(published -> checked.flag()));
  }

  @Test
  void should_route_sharded_pub_sub_to_the_mall_slot_when_the_channel_has_a_hash_tag(Vertx vertx,
      VertxTestContext ctx) {
    String version = Await.result(onNode(vertx, cluster.urls().get(0), Request.cmd(Command.INFO).arg("server")))
        .toString().replaceAll("(?s).*redis_version:(\\d+).*", "$1");
    Assumptions.assumeTrue(Integer.parseInt(version) >= 7, "sharded pub/sub needs Redis 7, found " + version);
    Redis client = RedisClientFactory.create(vertx, cluster.config());
    String channel = "mallgate:{shard-" + UUID.randomUUID().toString().substring(0, 8) + "}:changed";
    Checkpoint delivered = ctx.checkpoint();
    Checkpoint checked = ctx.checkpoint();
    client.connect()
        .compose(conn -> subscribe(conn, Command.SSUBSCRIBE, channel, onMessage("smessage", channel, delivered)))
        .compose(subscribed -> subscribers(vertx, "SHARDNUMSUB", channel))
        .compose(perNode -> {
          ctx.verify(() -> assertEquals(1, perNode.stream().mapToLong(Long::longValue).sum(), perNode.toString()));
          return client.send(Request.cmd(Command.SPUBLISH).arg(channel).arg("sharded"));
        })
        .onComplete(ctx.succeeding(receivers -> ctx.verify(() -> {
          assertEquals(1, receivers.toLong(), "SPUBLISH reached the master that holds the subscription");
          checked.flag();
        })));
  }

  @Test
  void should_end_the_connection_and_need_a_new_subscription_when_the_subscriber_is_dropped(Vertx vertx,
      VertxTestContext ctx) {
    Redis client = RedisClientFactory.create(vertx, cluster.config());
    String channel = "mallgate:test:" + UUID.randomUUID();
    Checkpoint resubscribed = ctx.checkpoint();
    Promise<Void> ended = Promise.promise();
    client.connect()
        .compose(conn -> {
          conn.endHandler(end -> ended.tryComplete());
          return subscribe(conn, Command.SUBSCRIBE, channel, push -> { });
        })
        // Test-only: drops every subscriber connection on every master; test classes run one at a time.
        .compose(subscribed -> Future.all(cluster.urls().stream().map(url -> onNode(vertx, url,
            Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub"))).toList()))
        .compose(killed -> ended.future())
        .compose(end -> client.connect())
        .compose(fresh -> subscribe(fresh, Command.SUBSCRIBE, channel, onMessage("message", channel, resubscribed)))
        .compose(subscribed -> client.send(publish(channel, "after the drop")))
        .onComplete(ctx.succeeding(published -> { }));
  }

  // --- helpers ---

  private static Future<RedisConnection> subscribe(RedisConnection conn, Command command, String channel,
      Consumer<Response> handler) {
    conn.handler(handler::accept);
    return conn.send(Request.cmd(command).arg(channel)).map(conn);
  }

  /** Flags {@code checkpoint} once for each push of {@code kind} on {@code channel}. */
  private static Consumer<Response> onMessage(String kind, String channel, Checkpoint checkpoint) {
    return push -> {
      if (push.size() == 3 && kind.equals(push.get(0).toString()) && channel.equals(push.get(1).toString())) {
        checkpoint.flag();
      }
    };
  }

  /** {@code PUBSUB NUMSUB|SHARDNUMSUB channel} on each master: how many subscribers that node itself holds. */
  private static Future<List<Long>> subscribers(Vertx vertx, String kind, String channel) {
    return Future.all(cluster.urls().stream()
            .map(url -> onNode(vertx, url, Request.cmd(Command.PUBSUB).arg(kind).arg(channel))
                .map(reply -> reply.get(1).toLong()))
            .toList())
        .map(all -> all.<Long>list());
  }

  /** One command on one node, through a plain client of its own (no cluster routing). */
  private static Future<Response> onNode(Vertx vertx, String url, Request request) {
    Redis node = Redis.createClient(vertx, url);
    return node.send(request).eventually(node::close);
  }

  private static Future<Boolean> sameSlot(RedisCommands redis, String one, String other) {
    return redis.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(one))
        .compose(first -> redis.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(other))
            .map(second -> first.toLong().equals(second.toLong())));
  }

  private static Request setNx(String key, String owner) {
    return Request.cmd(Command.SET).arg(key).arg(owner).arg("NX").arg("PX").arg(5_000);
  }

  private static Request compareAndDelete(String key, String owner) {
    return Request.cmd(Command.EVAL).arg(COMPARE_AND_DELETE).arg(1).arg(key).arg(owner);
  }

  private static Request publish(String channel, String message) {
    return Request.cmd(Command.PUBLISH).arg(channel).arg(message);
  }

  private static Object nil(Response reply) {
    return reply == null ? "nil" : reply;
  }

  private static List<Object> with(List<Object> sofar, Object next) {
    List<Object> all = new ArrayList<>(sofar);
    all.add(next);
    return all;
  }

  private static <T> void expect(VertxTestContext ctx, Future<T> future, Consumer<T> check) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      check.accept(value);
      ctx.completeNow();
    })));
  }
}
