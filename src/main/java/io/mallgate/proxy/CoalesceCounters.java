package io.mallgate.proxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the GETs that waited on an identical GET's call ({@link Coalescing}), for
 * {@code mallgate_coalesced_requests_total}, {@code mallgate_coalesced_calls_total} and
 * {@code mallgate_coalesced_waiting}. A call that nobody joined is not counted: it is an ordinary call. Thread-safe.
 */
public final class CoalesceCounters {

  /** How a shared call ended for the requests that waited on it. */
  public enum Outcome {
    /** They got its answer. */
    SERVED("served"),
    /** They got its failure (a timeout, an open circuit, a refusal, Cafe24's connection failing). */
    FAILED("failed"),
    /** Its answer was over {@code proxy.coalesceMaxBody} (or the body memory was full): each made its own call. */
    TOO_LARGE("too_large"),
    /** Its answer varied by a request header that is no part of the key ({@code Vary}): each made its own call. */
    VARIES("varies"),
    /** Its own caller went away before the answer was in: they tried again, once more sharing one call. */
    LEADER_LEFT("leader_left");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** The metric label value. */
    public String label() {
      return label;
    }
  }

  private final LongAdder[] requests = adders();
  private final LongAdder[] calls = adders();
  private final LongAdder waiting = new LongAdder();

  /** Requests that waited on another's call and ended so. */
  public long requests(Outcome outcome) {
    return requests[outcome.ordinal()].sum();
  }

  /** Calls that at least one other request waited on, by how they ended. */
  public long calls(Outcome outcome) {
    return calls[outcome.ordinal()].sum();
  }

  /** Requests waiting on another's call now. */
  public long waiting() {
    return waiting.sum();
  }

  void joined() {
    waiting.increment();
  }

  /** A shared call ended for the {@code waiters} that had joined it (none: an ordinary call, not counted). */
  void ended(Outcome outcome, int waiters) {
    if (waiters == 0) {
      return;
    }
    waiting.add(-waiters);
    requests[outcome.ordinal()].add(waiters);
    calls[outcome.ordinal()].increment();
  }

  private static LongAdder[] adders() {
    LongAdder[] adders = new LongAdder[Outcome.values().length];
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
