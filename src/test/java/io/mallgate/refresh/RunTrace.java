package io.mallgate.refresh;

import io.mallgate.error.GatewayFailure;
import io.mallgate.token.TokenRecord;
import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one interleaving run saw, written from every instance's event loop at once: a readable timeline, the store
 * operations and refresh results with their start and end positions in one global sequence (for the version
 * checks), which refresh tokens were presented to Cafe24 by whom, how often each protocol path ran, and why the
 * run's exchanges may have had uncertain outcomes. Tokens appear only as labels ({@code rt0}, {@code rt1}, … in the
 * order they were first seen). Thread-safe.
 */
final class RunTrace {

  /** A store operation that returned a record; {@code start} and {@code end} bracket the Redis command. */
  record StoreOp(String who, String op, long start, long end, long version, String rt, boolean marked,
      boolean write) {
  }

  /** A successful {@code refresh(mall, seen)}. */
  record Result(String who, long seen, long start, long end, long version, String rt, boolean marked) {
  }

  /** One request that presented a refresh token, and (once known) Cafe24's answer. */
  static final class Presentation {

    private final String who;
    private volatile String outcome = "pending";

    Presentation(String who) {
      this.who = who;
    }

    @Override
    public String toString() {
      return who + ": " + outcome;
    }
  }

  private final long startNanos = System.nanoTime();
  private final AtomicLong sequence = new AtomicLong();
  private final List<String> events = new ArrayList<>();
  private final Map<String, String> labels = new HashMap<>();
  private final List<StoreOp> storeOps = new ArrayList<>();
  private final List<Result> results = new ArrayList<>();
  private final List<String> contractBreaks = new ArrayList<>();
  private final Map<String, List<Presentation>> presentations = new LinkedHashMap<>();
  private final Map<String, Integer> paths = new TreeMap<>();
  private final Set<String> uncertainty = new TreeSet<>();
  private final Set<String> discarded = new TreeSet<>();

  /** The next position in the run's global order of events. */
  long tick() {
    return sequence.incrementAndGet();
  }

  /** A short stable name for a refresh token; remembers the token as one of the run's. */
  synchronized String label(String refreshToken) {
    return refreshToken == null ? "rt?" : labels.computeIfAbsent(refreshToken, token -> "rt" + labels.size());
  }

  synchronized void event(String who, String what) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    events.add(String.format("%6d ms  %-5s %s", millis, who, what));
  }

  synchronized void count(String path) {
    paths.merge(path, 1, Integer::sum);
  }

  /** Notes a reason why some exchange of this run may have redeemed a token without the redeemer knowing. */
  synchronized void uncertain(String why) {
    uncertainty.add(why);
  }

  void storeOp(String who, String op, long start, AsyncResult<TokenRecord> done, boolean write) {
    long end = tick();
    if (done.failed()) {
      event(who, op + " -> FAILED " + done.cause().getMessage());
      count("store.failed");
      return;
    }
    TokenRecord record = done.result();
    if (record == null) {
      event(who, op + " -> nothing");
      if (write) {
        count("store.refused." + op.substring(0, op.indexOf('(') < 0 ? op.length() : op.indexOf('(')));
      }
      return;
    }
    String rt = label(record.tokens().refreshToken());
    synchronized (this) {
      storeOps.add(new StoreOp(who, op, start, end, record.version(), rt, record.reauthorizationRequired(), write));
    }
    event(who, op + " -> " + describe(record));
  }

  void refreshEnded(String who, long seen, long start, AsyncResult<TokenRecord> done, boolean stopped) {
    long end = tick();
    if (done.succeeded() && done.result() != null) {
      TokenRecord record = done.result();
      String rt = label(record.tokens().refreshToken());
      synchronized (this) {
        results.add(new Result(who, seen, start, end, record.version(), rt, record.reauthorizationRequired()));
      }
      event(who, "refresh(seen v" + seen + ") = " + describe(record));
      count(record.reauthorizationRequired() ? "call.ok_but_marked" : "call.ok");
      return;
    }
    Throwable cause = done.failed() ? done.cause() : null;
    String what = cause == null ? "no record" : cause instanceof GatewayFailure g ? g.code().code()
        : cause.getClass().getSimpleName();
    event(who, "refresh(seen v" + seen + ") FAILED " + what);
    if (stopped) {
      count("call.killed");
    } else {
      count("call." + what);
      if (!(cause instanceof GatewayFailure)) {
        contractBreak(who + ": refresh(seen v" + seen + ") failed with " + what + " instead of a GatewayFailure");
      }
    }
  }

  /** A freshly issued refresh token was not stored: its compare-and-set found the version moved. */
  synchronized void discarded(String rt) {
    discarded.add(rt);
  }

  synchronized Set<String> discarded() {
    return Set.copyOf(discarded);
  }

  synchronized void contractBreak(String what) {
    contractBreaks.add(what);
  }

  /** A refresh token is on its way to Cafe24; the returned presentation is told the answer. */
  Presentation presented(String who, String refreshToken) {
    String rt = label(refreshToken);
    Presentation presentation = new Presentation(who);
    synchronized (this) {
      presentations.computeIfAbsent(rt, token -> new ArrayList<>()).add(presentation);
    }
    event(who, "POST refresh_token=" + rt);
    return presentation;
  }

  /** Cafe24's answer to a presented refresh token: {@code ok}, {@code http_503}, an OAuth error, {@code no_answer}. */
  void answered(Presentation presentation, String refreshToken, String outcome, String issued) {
    presentation.outcome = outcome;
    String rt = label(refreshToken);
    event(presentation.who, "  answer for " + rt + ": " + outcome + (issued == null ? "" : " -> new " + label(issued)));
    count("exchange." + outcome);
    if ("no_answer".equals(outcome) || "killed".equals(outcome)) {
      uncertain("an exchange got no answer");
    }
  }

  private String describe(TokenRecord record) {
    return "v" + record.version() + " " + label(record.tokens().refreshToken())
        + (record.reauthorizationRequired() ? " MARKED(" + record.reauthorization().reason() + ")" : "");
  }

  synchronized List<StoreOp> storeOps() {
    return List.copyOf(storeOps);
  }

  synchronized List<Result> results() {
    return List.copyOf(results);
  }

  synchronized List<String> contractBreaks() {
    return List.copyOf(contractBreaks);
  }

  /** Refresh-token label → its presentations ({@code who: answer}), in order. */
  synchronized Map<String, List<String>> presentations() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    presentations.forEach((rt, each) -> copy.put(rt, each.stream().map(Presentation::toString).toList()));
    return copy;
  }

  /** Every refresh token the run has seen (stored, written, presented or issued), by label. */
  synchronized Map<String, String> tokensByLabel() {
    Map<String, String> byLabel = new LinkedHashMap<>();
    labels.forEach((token, label) -> byLabel.put(label, token));
    return byLabel;
  }

  synchronized Map<String, Integer> paths() {
    return Map.copyOf(paths);
  }

  synchronized Set<String> uncertainty() {
    return new LinkedHashSet<>(uncertainty);
  }

  /** The timeline, or its last {@code max} lines. */
  synchronized String timeline(int max) {
    int from = Math.max(0, events.size() - max);
    StringBuilder text = new StringBuilder(from > 0 ? "  … " + from + " earlier events\n" : "");
    for (String event : events.subList(from, events.size())) {
      text.append("  ").append(event).append('\n');
    }
    return text.toString();
  }
}
