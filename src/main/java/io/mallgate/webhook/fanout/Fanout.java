package io.mallgate.webhook.fanout;

import io.mallgate.config.GatewayConfig;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.redis.RedisCommands;
import io.mallgate.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP fan-out of {@code webhook.subscribers}: one {@link SubscriberLoop} per subscriber on this instance, and
 * the replay of dead letters. With Redis ({@link #redis}) each loop reads as consumer {@code <instance id>} (random
 * per process) of the subscriber's consumer group; in the embedded mode ({@link #embedded}, one instance only) it
 * reads the embedded log with a saved cursor. Delivery is at least once: an event whose 2xx was not recorded in time (a
 * crash, Redis unreachable) is sent again, with the same {@code X-Mallgate-Event-Id}. Uses its own HTTP client, apart
 * from the upstream's.
 */
public final class Fanout {

  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final WebClient http;
  private final Map<String, SubscriberClient> clients = new LinkedHashMap<>();
  private final List<SubscriberLoop> loops = new ArrayList<>();
  private final DeadLetterStore deadLetters;
  private final FanoutCounters counters;
  private final String reader;
  private final Tracing tracing;

  private Fanout(Vertx vertx, DeadLetterStore deadLetters, FanoutCounters counters, String reader, Tracing tracing) {
    this.http = WebClient.create(vertx, new WebClientOptions().setUserAgent("Mallgate-Fanout")
        .setFollowRedirects(false).setKeepAlive(true).setVerifyHost(true));
    this.deadLetters = deadLetters;
    this.counters = counters;
    this.reader = reader;
    this.tracing = tracing;
  }

  /**
   * The fan-out through Redis consumer groups, shared by every instance.
   *
   * @param commands       the gateway's Redis commands
   * @param commandTimeout {@code redis.commandTimeout}: with a subscriber's timeout, how long an attempt may take
   * @param tracing        where each delivery attempt starts its span
   */
  public static Fanout redis(Vertx vertx, GatewayConfig.Webhook config, RedisCommands commands,
      Duration commandTimeout, FanoutCounters counters, Clock clock, Tracing tracing) {
    String consumer = "gw-" + instanceId();
    Fanout fanout = new Fanout(vertx, new DeadLetters(commands, config.stream()), counters,
        "consumer " + consumer, tracing);
    config.subscribers().forEach((name, subscriber) -> {
      SubscriberClient client = fanout.client(subscriber);
      // An attempt ends within the subscriber's timeout, and its acknowledgement within a command deadline after.
      long guard = subscriber.timeout().plus(commandTimeout).plusSeconds(1).toMillis();
      fanout.loops.add(new DeliveryLoop(vertx, subscriber, config.delivery(),
          new SubscriberStream(commands, config.stream(), name, config.streamMaxLength()), client, counters,
          consumer, guard, clock));
    });
    return fanout;
  }

  /**
   * The fan-out of the embedded mode, <b>one instance only</b>: from the embedded log {@code queue}, with a saved
   * cursor per subscriber and the queue's dead letters (at most {@code webhook.streamMaxLength}).
   */
  public static Fanout embedded(Vertx vertx, GatewayConfig.Webhook config, EmbeddedQueue queue,
      FanoutCounters counters, Clock clock, Tracing tracing) {
    Fanout fanout = new Fanout(vertx, queue.deadLetters(), counters, "the embedded log", tracing);
    config.subscribers().forEach((name, subscriber) -> fanout.loops.add(new CursorDeliveryLoop(vertx,
        config.delivery(), subscriber, queue, fanout.client(subscriber), counters, clock)));
    return fanout;
  }

  private SubscriberClient client(GatewayConfig.WebhookSubscriber subscriber) {
    SubscriberClient client = new SubscriberClient(http, subscriber, tracing);
    clients.put(subscriber.name(), client);
    return client;
  }

  // generateSeed could block on the entropy pool; nextBytes never does once the generator is seeded.
  private static String instanceId() {
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /**
   * Prepares each subscriber (creates a missing consumer group; loads or creates a cursor) and starts delivering.
   * With Redis it never fails (an unreachable Redis is tried again each cycle); embedded, it fails when a cursor
   * cannot be read, and the gateway does not start.
   */
  public Future<Void> start() {
    if (loops.isEmpty()) {
      return Future.succeededFuture();
    }
    LOG.info("webhook fan-out to {} subscriber(s) {} from {}", clients.size(), clients.keySet(), reader);
    List<Future<Void>> each = new ArrayList<>();
    loops.forEach(loop -> each.add(loop.start()));
    return Future.join(each).mapEmpty();
  }

  /** Whether any subscriber is configured (the dead-letter routes exist only then). */
  public boolean active() {
    return !loops.isEmpty();
  }

  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  /**
   * Delivers a dead letter to its subscriber now, once, through the same path as the loop; on a 2xx the dead letter
   * is removed. Fails with {@code webhook_subscriber_not_found} when the subscriber is no longer configured.
   */
  Future<Attempt> replay(StreamEntry deadLetter) {
    SubscriberClient client = clients.get(deadLetter.field("subscriber"));
    if (client == null) {
      return Future.failedFuture(new GatewayFailure(ErrorCode.WEBHOOK_SUBSCRIBER_NOT_FOUND,
          "the dead letter's subscriber is not configured any more"));
    }
    // Forwarded under its original id, so a subscriber that de-duplicates recognises it.
    StreamEntry original = new StreamEntry(deadLetter.field("original_id"), deadLetter.fields(), deadLetter.body());
    return client.deliver(original, replayAttempt(deadLetter)).compose(attempt -> {
      if (!attempt.delivered()) {
        return Future.succeededFuture(attempt);
      }
      counters.replayed();
      return deadLetters.delete(deadLetter.id()).map(deleted -> attempt);
    });
  }

  /** A replay is the attempt after those the dead letter records (1 if it records none readable). */
  private static long replayAttempt(StreamEntry deadLetter) {
    try {
      return Long.parseLong(deadLetter.field("attempts")) + 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /**
   * Stops the loops; deliveries in flight get up to {@code graceMillis} to finish (an unfinished one stays pending
   * and is delivered again later). Then closes the HTTP client. Never fails.
   */
  public Future<Void> close(long graceMillis) {
    List<Future<Void>> stopped = new ArrayList<>();
    loops.forEach(loop -> stopped.add(loop.stop()));
    return Future.join(stopped).timeout(graceMillis, TimeUnit.MILLISECONDS).otherwiseEmpty()
        .eventually(() -> {
          http.close();
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
