package io.mallgate.webhook.fanout;

import io.mallgate.config.GatewayConfig;
import io.mallgate.cafe24.Cafe24Time;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscriber's events from the embedded webhook log (one instance only), in the log's order, one event
 * in flight at a time: each cycle reads up to {@code batchSize} complete lines after the subscriber's
 * {@link FileCursor}, delivers them one after the other, and saves the cursor. An event that fails holds back the
 * ones after it (order is kept) and is tried again after {@link Backoff}; after {@code maxAttempts} failed attempts it
 * goes to the {@link FileDeadLetters} and the next one gets its turn.
 *
 * <p>At least once: the cursor moves past an event only after its 2xx or its dead letter, and is saved at the end of
 * each cycle (and with each failed attempt), so a crash sends again at most the rest of one batch. A subscriber
 * without a cursor file (new) starts at the log's end. The log's compaction keeps every entry after the saved cursor
 * ({@link #neededFrom}), and cursors are log offsets, which compaction leaves in place. File work runs on workers,
 * never on the event loop.
 */
final class FileDeliveryLoop implements SubscriberLoop {

  private static final Logger LOG = LoggerFactory.getLogger(FileDeliveryLoop.class);

  private final Vertx vertx;
  private final GatewayConfig.WebhookSubscriber subscriber;
  private final GatewayConfig.WebhookDelivery delivery;
  private final Path log;
  private final Path cursorFile;
  private final SubscriberClient client;
  private final FileDeadLetters deadLetters;
  private final FanoutCounters counters;
  private final Backoff backoff;
  private final int chunk;
  private final Clock clock;
  private FileCursor cursor;
  private FileCursor saved;
  private final CycleTimer timer;

  FileDeliveryLoop(Vertx vertx, GatewayConfig.Webhook config, GatewayConfig.WebhookSubscriber subscriber, Path log,
      SubscriberClient client, FileDeadLetters deadLetters, FanoutCounters counters, Clock clock) {
    this.vertx = vertx;
    this.timer = new CycleTimer(vertx, this::cycle);
    this.subscriber = subscriber;
    this.delivery = config.delivery();
    this.log = log;
    this.cursorFile = cursorFile(log, subscriber.name());
    this.client = client;
    this.deadLetters = deadLetters;
    this.counters = counters;
    this.backoff = new Backoff(delivery);
    // A line holds a body of at most maxBodySize in base64 (4/3) and a few fields: a batch of them at least.
    this.chunk = (int) Math.min(64L << 20, Math.max(256L << 10, config.maxBodySize() * 2 + 4096));
    this.clock = clock;
  }

  /** {@code fanout-<subscriber>.cursor} beside the webhook log. */
  static Path cursorFile(Path log, String subscriber) {
    return log.toAbsolutePath().resolveSibling("fanout-" + subscriber + ".cursor");
  }

  /** Loads the cursor (a new subscriber's is created at the log's end) and starts; fails when it cannot. */
  @Override
  public Future<Void> start() {
    return vertx.executeBlocking(this::loadCursor, false).map(loaded -> {
      cursor = loaded;
      saved = loaded;
      timer.start(0);
      return null;
    });
  }

  private FileCursor loadCursor() throws java.io.IOException {
    LogReader.Span span = LogReader.span(log);
    FileCursor loaded = FileCursor.load(cursorFile);
    if (loaded != null && loaded.offset() >= span.first() && loaded.offset() <= span.end()) {
      return loaded;
    }
    FileCursor fresh;
    if (loaded == null) {
      LOG.info("webhook subscriber {}: new, it gets the events recorded from now on", subscriber.name());
      fresh = new FileCursor(span.end(), "", 0);
    } else if (loaded.offset() > span.end()) {
      LOG.warn("webhook subscriber {}: the log is shorter than its cursor (replaced?); starting at its end",
          subscriber.name());
      fresh = new FileCursor(span.end(), "", 0);
    } else {
      // Only a subscriber left out of webhook.subscribers for a while gets here: the log keeps what others need.
      LOG.warn("webhook subscriber {}: the log was compacted past its cursor while it was not configured; the "
          + "events in between are lost for it, starting at the oldest kept", subscriber.name());
      fresh = new FileCursor(span.first(), "", 0);
    }
    fresh.save(cursorFile); // before the first event is accepted, so a restart does not move the start
    return fresh;
  }

  /**
   * The lowest log offset this subscriber may still need: its saved cursor's (a crash would resume there). The log
   * keeps every entry after it. Call on the loop's context, once started.
   */
  long neededFrom() {
    return saved == null ? 0 : saved.offset();
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
    int batch = delivery.batchSize();
    long from = cursor.offset();
    return vertx.executeBlocking(() -> LogReader.read(log, from, batch, chunk), false)
        .compose(read -> {
          if (read.from() > from) {
            // The log keeps what any subscriber's saved cursor needs, so this is only a cursor moved by hand.
            LOG.warn("webhook subscriber {}: the log no longer holds the events at its cursor; going on from the "
                + "oldest kept", subscriber.name());
            cursor = cursor.advance(read.from());
          }
          return deliverFrom(read.lines(), 0);
        })
        .compose(wait -> save().map(wait));
  }

  private Future<Long> deliverFrom(List<LogReader.Line> lines, int index) {
    int i = index;
    // Lines that are not events, or not for this subscriber, are passed over without a Future each.
    while (i < lines.size() && !wanted(lines.get(i))) {
      cursor = cursor.advance(lines.get(i).end());
      i++;
    }
    if (i == lines.size() || timer.stopped()) {
      return Future.succeededFuture(lines.size() == delivery.batchSize() && !timer.stopped() ? 0L
          : delivery.pollInterval().toMillis());
    }
    int next = i + 1;
    LogReader.Line line = lines.get(i);
    return attempt(line).compose(retryIn -> retryIn < 0 ? deliverFrom(lines, next) : Future.succeededFuture(retryIn));
  }

  private boolean wanted(LogReader.Line line) {
    return line.entry() != null && subscriber.wants(line.entry().field("event_no"));
  }

  /** Delivers one event; completes with -1 when done with it, else the wait before its next attempt. */
  private Future<Long> attempt(LogReader.Line line) {
    StreamEntry entry = line.entry();
    long attempt = cursor.attemptsOf(entry.id()) + 1;
    return client.deliver(entry).compose(outcome -> {
      if (outcome.delivered()) {
        counters.delivered();
        cursor = cursor.advance(line.end());
        return Future.succeededFuture(-1L);
      }
      counters.failed();
      if (attempt >= delivery.maxAttempts()) {
        return giveUp(entry, attempt, outcome).map(dead -> {
          cursor = cursor.advance(line.end());
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
    return deadLetters.add(entry, failure).map(added -> {
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
    FileCursor current = cursor;
    if (current.equals(saved)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      current.save(cursorFile);
      return null;
    }, false).<Void>map(done -> {
      saved = current;
      return null;
    }).recover(failure -> {
      LOG.warn("webhook subscriber {}: cursor {} not saved ({})", subscriber.name(), cursorFile,
          failure.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }
}
