package io.mallgate.webhook.fanout;

import io.mallgate.config.GatewayConfig;
import io.mallgate.cafe24.Cafe24Time;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscriber's events on this instance, one cycle at a time on the owning context: read new events of
 * the group without blocking, deliver them at once, then retry the group's pending events that are due (of this
 * instance or of one that crashed), then wait {@code pollInterval} — or go on at once when a read was full.
 *
 * <p>The retry state is the group's pending list: an event stays pending until a 2xx, its delivery count is the
 * attempt count, and its idle time says when it is due ({@link Backoff}). Nothing is kept in memory, so a restart or
 * another instance carries on where this one stopped. An event is due only once idle for longer than an attempt can
 * take ({@code guard}), so no instance takes over one that is still being delivered. After {@code maxAttempts}
 * failed attempts it goes to the dead letters.
 *
 * <p>The lag ({@link Undelivered}) is the oldest of the events this loop read, claimed or saw in the pending list and
 * has not finished: an event it last saw longer ago than an attempt, its acknowledgement and a listing can take is let
 * go once a listing no longer shows it (another instance took it over, or finished it). So each instance reports the
 * events it works on and the stalled ones every instance sees; across instances, the largest is the subscriber's lag.
 */
final class DeliveryLoop implements SubscriberLoop {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
  /** How often the consumers that restarts left in the group are looked for (and at start). */
  private static final long PRUNE_EVERY_MILLIS = 5 * 60_000;

  private final Vertx vertx;
  private final GatewayConfig.WebhookSubscriber subscriber;
  private final GatewayConfig.WebhookDelivery delivery;
  private final SubscriberStream stream;
  private final SubscriberClient client;
  private final FanoutCounters counters;
  private final Backoff backoff;
  private final String consumer;
  private final long guardMillis;
  private final Clock clock;
  private final CycleTimer timer;
  private final Undelivered undelivered;
  private boolean grouped;
  private long prunedAt = -1;

  DeliveryLoop(Vertx vertx, GatewayConfig.WebhookSubscriber subscriber, GatewayConfig.WebhookDelivery delivery,
      SubscriberStream stream, SubscriberClient client, FanoutCounters counters, String consumer, long guardMillis,
      Clock clock) {
    this.vertx = vertx;
    this.timer = new CycleTimer(vertx, this::cycle);
    this.subscriber = subscriber;
    this.delivery = delivery;
    this.stream = stream;
    this.client = client;
    this.counters = counters;
    this.backoff = new Backoff(delivery);
    this.consumer = consumer;
    this.guardMillis = guardMillis;
    this.clock = clock;
    this.undelivered = new Undelivered(counters, subscriber.name());
  }

  /**
   * Creates the group when needed and starts cycling; call on the context that owns the loop. Completes once the
   * group exists, or once the attempt failed (Redis down: each cycle tries again), so it never fails.
   */
  @Override
  public Future<Void> start() {
    return ensureGroup().otherwiseEmpty().onComplete(done -> timer.start(0)).mapEmpty();
  }

  private Future<Void> ensureGroup() {
    if (grouped) {
      return Future.succeededFuture();
    }
    return stream.ensureGroup().map(created -> {
      grouped = true;
      if (created) {
        LOG.info("webhook subscriber {}: consumer group created; it gets the events recorded from now on",
            subscriber.name());
      }
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    return timer.stop();
  }

  /** One cycle, then the wait before the next: none when there may be more to read at once. */
  private Future<Long> cycle() {
    return runCycle().transform(outcome -> {
      // After a failure, check the group again: an operator or a Redis restart without persistence may have
      // removed it (the script recreates it at the stream's end, which is all that can be done then).
      grouped = grouped && outcome.succeeded();
      return Future.succeededFuture(outcome.succeeded() && outcome.result() ? 0 : delivery.pollInterval().toMillis());
    });
  }

  /** One cycle; true when there may be more to read right away. Redis failures are logged by RedisCommands. */
  private Future<Boolean> runCycle() {
    int batch = delivery.batchSize();
    return ensureGroup()
        .compose(ready -> pruneConsumers())
        .compose(pruned -> stream.readNew(consumer, batch))
        .compose(fresh -> Future.join(handleAll(fresh, 1)).map(done -> fresh.size() == batch))
        .compose(more -> stream.pending(guardMillis, batch)
            .compose(pending -> {
              listed(pending);
              return retryDue(pending);
            })
            .map(retried -> more));
  }

  /**
   * The listing shows every pending event idle for longer than an attempt can take, oldest first: one this loop saw
   * undelivered and has not seen since twice that long (plus two polls) is no longer pending, or another instance
   * took it over and reports it.
   */
  private void listed(List<SubscriberStream.Pending> pending) {
    long now = clock.millis();
    pending.forEach(entry -> undelivered.pending(entry.id(), now));
    undelivered.forgetSeenBefore(now - 2 * (guardMillis + delivery.pollInterval().toMillis()));
  }

  private Future<Void> retryDue(List<SubscriberStream.Pending> pending) {
    List<Future<Void>> retries = new ArrayList<>();
    for (SubscriberStream.Pending entry : pending) {
      long due = Math.max(guardMillis, backoff.delay(entry.id(), entry.deliveries()));
      if (entry.idleMillis() >= due) {
        retries.add(stream.claim(consumer, due, entry.id())
            .compose(claimed -> {
              if (claimed.isEmpty()) {
                // Someone else took it or finished it (they report it), or it was trimmed away.
                undelivered.done(entry.id());
                return checkTrimmed(entry.id());
              }
              return Future.join(handleAll(claimed, entry.deliveries() + 1)).<Void>mapEmpty();
            }));
      }
    }
    return Future.join(retries).mapEmpty();
  }

  /**
   * A claim came back empty: another instance took the entry, it was acknowledged meanwhile, or the stream was trimmed
   * past it ({@code MAXLEN ~}) while it was pending. The last means the event is lost for this subscriber: say so.
   * Redis 7 has already dropped it from the pending list; older versions keep it there, so acknowledge it.
   */
  private Future<Void> checkTrimmed(String id) {
    return stream.exists(id).compose(exists -> {
      if (exists) {
        return Future.succeededFuture();
      }
      LOG.warn("webhook {} to subscriber {}: the stream was trimmed past it before it was delivered; it is lost for "
          + "this subscriber (raise webhook.streamMaxLength)", id, subscriber.name());
      return stream.ack(id);
    });
  }

  // Consumers of earlier processes pile up in the group; a failure here must not hold delivery up.
  private Future<Void> pruneConsumers() {
    long now = clock.millis();
    if (prunedAt >= 0 && now - prunedAt < PRUNE_EVERY_MILLIS) {
      return Future.succeededFuture();
    }
    prunedAt = now;
    long minIdle = Math.max(guardMillis, 3 * delivery.pollInterval().toMillis());
    return stream.pruneConsumers(consumer, minIdle).<Void>map(removed -> {
      if (removed > 0) {
        LOG.info("webhook subscriber {}: removed {} idle consumer(s) without pending events", subscriber.name(),
            removed);
      }
      return null;
    }).otherwiseEmpty();
  }

  private List<Future<Void>> handleAll(List<StreamEntry> entries, long attempt) {
    List<Future<Void>> handled = new ArrayList<>(entries.size());
    entries.forEach(entry -> handled.add(handle(entry, attempt)));
    return handled;
  }

  private Future<Void> handle(StreamEntry entry, long attempt) {
    if (!subscriber.wants(entry.field("event_no"))) {
      return stream.ack(entry.id()).onSuccess(acked -> undelivered.done(entry.id()));
    }
    undelivered.pending(entry.id(), clock.millis());
    return client.deliver(entry, attempt).compose(outcome -> {
      if (outcome.delivered()) {
        counters.delivered(subscriber.name(), entry.recordedAtMillis());
        undelivered.done(entry.id());
        return stream.ack(entry.id());
      }
      counters.failed();
      undelivered.pending(entry.id(), clock.millis());
      if (attempt >= delivery.maxAttempts()) {
        return giveUp(entry, attempt, outcome);
      }
      LOG.info("webhook {} to subscriber {}: attempt {} of {} failed ({}), next in about {} ms", entry.id(),
          subscriber.name(), attempt, delivery.maxAttempts(), outcome.reason(),
          Math.max(guardMillis, backoff.delay(entry.id(), attempt)));
      return Future.succeededFuture();
    });
  }

  private Future<Void> giveUp(StreamEntry entry, long attempts, Attempt last) {
    Map<String, String> failure = Map.of("subscriber", subscriber.name(), "original_id", entry.id(),
        "attempts", Long.toString(attempts), "last_status", Integer.toString(last.status()),
        "last_error", last.reason(), "dead_at", Cafe24Time.iso(clock.instant()));
    return stream.deadLetter(entry, failure).map(dead -> {
      undelivered.done(entry.id()); // dead-lettered now, or finished by someone else before
      if (dead) {
        counters.deadLettered();
        LOG.warn("webhook {} to subscriber {}: gave up after {} attempts ({}); kept in the dead letters", entry.id(),
            subscriber.name(), attempts, last.reason());
      }
      return null;
    });
  }
}
