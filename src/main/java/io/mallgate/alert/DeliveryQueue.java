package io.mallgate.alert;

import io.mallgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP sink's deliveries: a bounded FIFO with one delivery in flight, each alert tried up to
 * {@code alerts.delivery.attempts} times with a doubling backoff, then dropped with a WARN line. A full queue drops
 * the new alert (logged), so a dead receiver costs bounded memory and never slows anything else down: callers only
 * ever enqueue. Log lines name the sink ({@code webhook}, {@code slack}), never its URL. Thread-safe.
 */
final class DeliveryQueue {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);
  private static final long MAX_BACKOFF_MILLIS = 300_000;

  private final Vertx vertx;
  private final String sink;
  private final Function<Alert, Future<Void>> send;
  private final GatewayConfig.AlertDelivery config;
  private final ArrayDeque<Alert> waiting = new ArrayDeque<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private boolean busy;
  private volatile boolean closed;

  DeliveryQueue(Vertx vertx, String sink, Function<Alert, Future<Void>> send, GatewayConfig.AlertDelivery config) {
    this.vertx = vertx;
    this.sink = sink;
    this.send = send;
    this.config = config;
  }

  /** Queues an alert for delivery; returns at once. */
  void offer(Alert alert) {
    synchronized (this) {
      if (closed || waiting.size() >= config.queueSize()) {
        dropped.incrementAndGet();
        LOG.warn("alert queue of the {} sink is full ({}): {} alert for mall '{}' dropped", sink, config.queueSize(),
            alert.condition(), alert.mall());
        return;
      }
      waiting.add(alert);
    }
    pump();
  }

  /** Alerts the receiver accepted (2xx). */
  long delivered() {
    return delivered.get();
  }

  /** Alerts given up: queue full, or every attempt failed. */
  long dropped() {
    return dropped.get();
  }

  /** Takes no more alerts; what waits is dropped, a delivery in flight ends on its own. */
  void close() {
    closed = true;
    synchronized (this) {
      waiting.clear();
    }
  }

  private void pump() {
    Alert next;
    synchronized (this) {
      if (busy || waiting.isEmpty()) {
        return;
      }
      busy = true;
      next = waiting.poll();
    }
    attempt(next, 1);
  }

  private void attempt(Alert alert, int attempt) {
    send.apply(alert).onComplete(outcome -> {
      if (outcome.succeeded()) {
        delivered.incrementAndGet();
        next();
      } else if (attempt < config.attempts() && !closed) {
        long pause = Math.min(MAX_BACKOFF_MILLIS, config.backoff().toMillis() << Math.min(20, attempt - 1));
        LOG.warn("alert delivery to the {} sink failed ({}); attempt {} of {} in {} ms", sink,
            outcome.cause().getMessage(), attempt + 1, config.attempts(), pause);
        vertx.setTimer(pause, t -> attempt(alert, attempt + 1));
      } else {
        dropped.incrementAndGet();
        LOG.warn("alert delivery to the {} sink failed {} time(s) ({}): {} alert for mall '{}' dropped", sink,
            attempt, outcome.cause().getMessage(), alert.condition(), alert.mall());
        next();
      }
    });
  }

  private void next() {
    synchronized (this) {
      busy = false;
    }
    pump();
  }
}
