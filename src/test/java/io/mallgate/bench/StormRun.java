package io.mallgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongPredicate;

/**
 * A closed loop of GETs: {@code perInstance} workers per gateway, each sending its next request as soon as the last
 * one was answered, on a keep-alive connection of its own (the client's pool holds {@code perInstance} connections per
 * gateway), until a stop rule says so. Every request is recorded, answered or not. Runs on the event loop; a request
 * never fails the loop (no answer is a sample with status -1).
 */
final class StormRun {

  /**
   * One request as its caller saw it.
   *
   * @param instance index of the gateway it went to
   * @param startNanos {@link System#nanoTime()} when it was sent
   * @param endNanos when its whole body was in (or it failed)
   * @param status the HTTP status, -1 for no answer
   * @param detail the {@code X-Mallgate-Error} code, or the failure's class for no answer; null otherwise
   */
  record Sample(int instance, long startNanos, long endNanos, int status, String detail) {

    long micros() {
      return (endNanos - startNanos) / 1_000;
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private static final long IDLE_TIMEOUT_MILLIS = 30_000;

  private final HttpClient client;
  private final List<Integer> ports;
  private final int perInstance;

  StormRun(HttpClient client, List<Integer> ports, int perInstance) {
    this.client = client;
    this.ports = List.copyOf(ports);
    this.perInstance = perInstance;
  }

  /**
   * Runs every worker until {@code stopAfter} accepts the start time ({@code nanoTime}) of a request it just
   * completed, or {@code deadlineNanos} passed.
   *
   * @return every request of the run, in completion order
   */
  Future<List<Sample>> run(String uri, LongPredicate stopAfter, long deadlineNanos) {
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    List<Future<Void>> workers = new ArrayList<>();
    for (int instance = 0; instance < ports.size(); instance++) {
      for (int i = 0; i < perInstance; i++) {
        Promise<Void> done = Promise.promise();
        loop(instance, uri, stopAfter, deadlineNanos, samples, done);
        workers.add(done.future());
      }
    }
    return Future.all(workers).map(all -> List.copyOf(samples));
  }

  private void loop(int instance, String uri, LongPredicate stopAfter, long deadlineNanos,
      ConcurrentLinkedQueue<Sample> samples, Promise<Void> done) {
    once(instance, uri).onComplete(outcome -> {
      Sample sample = outcome.result();
      samples.add(sample);
      if (stopAfter.test(sample.startNanos()) || System.nanoTime() > deadlineNanos) {
        done.complete();
      } else {
        loop(instance, uri, stopAfter, deadlineNanos, samples, done);
      }
    });
  }

  /** One GET, its body read whole; always succeeds with a sample. */
  private Future<Sample> once(int instance, String uri) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(ports.get(instance)).setURI(uri).setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    return client.request(options)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> new Sample(instance, start, System.nanoTime(),
            response.statusCode(), response.getHeader("X-Mallgate-Error"))))
        .otherwise(failure -> new Sample(instance, start, System.nanoTime(), -1,
            failure.getClass().getSimpleName()));
  }
}
