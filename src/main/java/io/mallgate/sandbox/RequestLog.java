package io.mallgate.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last {@link #CAPACITY} Admin and Front API requests, oldest first. Thread-safe: {@code synchronized}. */
final class RequestLog {

  static final int CAPACITY = 1_000;

  private final Deque<RecordedRequest> records = new ArrayDeque<>();

  synchronized void record(String mall, HttpServerRequest request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    records.addLast(new RecordedRequest(mall, request.method().name(), request.uri(), headers));
    if (records.size() > CAPACITY) {
      records.removeFirst();
    }
  }

  /** A snapshot: later requests do not change the returned list. */
  synchronized List<RecordedRequest> snapshot() {
    return List.copyOf(records);
  }

  synchronized void clear() {
    records.clear();
  }
}
