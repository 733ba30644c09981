package io.mallgate.webhook.fanout;

import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscriber's events from the embedded log ({@link EmbeddedQueue}, one instance only), in the log's
 * order, one event in flight at a time: each cycle reads up to {@code batchSize} events after the subscriber's
 * {@link EmbeddedQueue.Cursor}, delivers them one after the other, and saves the cursor. An event that fails holds back
 * the ones after it (order is kept) and is tried again after {@link Backoff}; after {@code maxAttempts} failed
 * attempts it goes to the dead letters and the next one gets its turn.
 *
 * <p>At least once: the cursor moves past an event only after its 2xx or its dead letter, and is saved at the end of
 * each cycle (and with each failed attempt), so a crash sends again at most the rest of one batch. A new subscriber
 * starts at the log's end. The log's compaction keeps every event after a configured subscriber's saved cursor.
 *
 * <p>The lag ({@link Undelivered}) is the oldest event of the last batch read that is still to deliver: the one
 * being retried, while a subscriber is down.
 */
final class CursorDeliveryLoop implements SubscriberLoop {

  private static final Logger LOG = LoggerFactory.getLogger(CursorDeliveryLoop.class);

  private final GatewayConfig.WebhookSubscriber subscriber;
  private final GatewayConfig.WebhookDelivery delivery;
  private final EmbeddedQueue queue;
  private final SubscriberClient client;
  private final FanoutCounters counters;
  private final Backoff backoff;
  private final Clock clock;
  private final CycleTimer timer;
  private final Undelivered undelivered;
  private EmbeddedQueue.Cursor cursor;
  private EmbeddedQueue.Cursor saved;

  CursorDeliveryLoop(Vertx vertx, GatewayConfig.WebhookDelivery delivery, GatewayConfig.WebhookSubscriber subscriber,
      EmbeddedQueue queue, SubscriberClient client, FanoutCounters counters, Clock clock) {
    this.timer = new CycleTimer(vertx, this::cycle);
    this.subscriber = subscriber;
    this.delivery = delivery;
    this.queue = queue;
    this.client = client;
    this.counters = counters;
    this.backoff = new Backoff(delivery);
    this.clock = clock;
    this.undelivered = new Undelivered(counters, subscriber.name());
  }

  /** Loads the cursor (a new subscriber's is created at the log's end) and starts; fails when it cannot. */
  @Override
  public Future<Void> start() {
    return queue.cursor(subscriber.name()).map(loaded -> {
      cursor = loaded;
      saved = loaded;
      timer.start(0);
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    return timer.stop();
  }

  private Future<Long> cycle() {
    return runCycle().transform(outcome -> {
      if (outcome.failed()) {
        LOG.warn("webhook subscriber {}: delivery cycle failed ({}); trying again", subscriber.name(),
            outcome.cause().getClass().getSimpleName());
      }
      return Future.succeededFuture(outcome.succeeded() ? outcome.result() : delivery.pollInterval().toMillis());
    });
  }

  /** One cycle; completes with the wait before the next one. */
  private Future<Long> runCycle() {
    return queue.read(cursor.seq(), delivery.batchSize())
        .compose(events -> {
          follow(events);
          return deliverFrom(events, 0);
        })
        .compose(wait -> save().map(wait));
  }

  /** The batch just read, after the cursor, is what is left to deliver: the events of it this subscriber wants. */
  private void follow(List<EmbeddedQueue.Queued> events) {
    long now = clock.millis();
    undelivered.clear();
    for (EmbeddedQueue.Queued queued : events) {
      if (subscriber.wants(queued.entry().field("event_no"))) {
        undelivered.pending(queued.entry().id(), now);
      }
    }
  }

  private Future<Long> deliverFrom(List<EmbeddedQueue.Queued> events, int index) {
    int i = index;
    // Events not for this subscriber are passed over without a Future each.
    while (i < events.size() && !subscriber.wants(events.get(i).entry().field("event_no"))) {
      cursor = cursor.advance(events.get(i).seq());
      i++;
    }
    if (i == events.size() || timer.stopped()) {
      return Future.succeededFuture(events.size() == delivery.batchSize() && !timer.stopped() ? 0L
          : delivery.pollInterval().toMillis());
    }
    int next = i + 1;
    return attempt(events.get(i))
        .compose(retryIn -> retryIn < 0 ? deliverFrom(events, next) : Future.succeededFuture(retryIn));
  }

  /** Delivers one event; completes with -1 when done with it, else the wait before its next attempt. */
  private Future<Long> attempt(EmbeddedQueue.Queued queued) {
    StreamEntry entry = queued.entry();
    long attempt = cursor.attemptsOf(entry.id()) + 1;
    return client.deliver(entry, attempt).compose(outcome -> {
      if (outcome.delivered()) {
        counters.delivered(subscriber.name(), entry.recordedAtMillis());
        undelivered.done(entry.id());
        cursor = cursor.advance(queued.seq());
        return Future.succeededFuture(-1L);
      }
      counters.failed();
      if (attempt >= delivery.maxAttempts()) {
        return giveUp(entry, attempt, outcome).map(dead -> {
          undelivered.done(entry.id());
          cursor = cursor.advance(queued.seq());
          return -1L;
        });
      }
      cursor = cursor.failed(entry.id(), attempt);
      long wait = backoff.delay(entry.id(), attempt);
      LOG.info("webhook {} to subscriber {}: attempt {} of {} failed ({}), next in about {} ms", entry.id(),
          subscriber.name(), attempt, delivery.maxAttempts(), outcome.reason(), wait);
      return Future.succeededFuture(wait);
    });
  }

  private Future<Void> giveUp(StreamEntry entry, long attempts, Attempt last) {
    Map<String, String> failure = Map.of("subscriber", subscriber.name(), "original_id", entry.id(),
        "attempts", Long.toString(attempts), "last_status", Integer.toString(last.status()),
        "last_error", last.reason(), "dead_at", Cafe24Time.iso(clock.instant()));
    return queue.deadLetter(entry, failure).map(added -> {
      if (added) {
        counters.deadLettered();
        LOG.warn("webhook {} to subscriber {}: gave up after {} attempts ({}); kept in the dead letters", entry.id(),
            subscriber.name(), attempts, last.reason());
      }
      return null;
    });
  }

  // A failed save keeps the cursor in memory: delivery goes on, and a restart at worst sends some events again.
  private Future<Void> save() {
    EmbeddedQueue.Cursor current = cursor;
    if (current.equals(saved)) {
      return Future.succeededFuture();
    }
    return queue.save(subscriber.name(), current).<Void>map(done -> {
      saved = current;
      return null;
    }).recover(failure -> {
      LOG.warn("webhook subscriber {}: cursor not saved ({})", subscriber.name(), failure.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }
}
