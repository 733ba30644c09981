package io.mallgate.admin;

import io.mallgate.cafe24.Cafe24Time;
import io.mallgate.edge.AccessLog;
import io.mallgate.edge.RequestEnd;
import io.mallgate.edge.RequestFacts;
import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last errors of each mall on this instance, for the admin API: every answer to a mall's request that carries a
 * gateway error code ({@code X-Mallgate-Error}) or a 5xx status (Cafe24's own 5xx included). Mounted on every route,
 * it records when the response ends. Each entry holds the time, status, gateway code, method, request id and the path
 * without its query — never a header or a body, so never a token.
 *
 * <p>Memory is bounded twice: {@link #PER_MALL} entries per mall (the oldest go first) and {@link #MALLS} malls (the
 * mall that erred least recently is forgotten first). Thread-safe; each operation is a few map steps.
 */
public final class RecentErrors implements RequestEnd {

  /** Entries kept per mall. */
  public static final int PER_MALL = 20;
  /** Malls tracked at most. */
  public static final int MALLS = 1000;
  private static final int MAX_PATH = 200;

  private final Clock clock;
  private final Map<String, ArrayDeque<Entry>> malls = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Entry>> eldest) {
      return size() > MALLS;
    }
  };

  public RecentErrors(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void ended(RoutingContext ctx, RequestFacts facts, AsyncResult<Void> outcome) {
    String mall = facts.mall();
    int status = ctx.response().getStatusCode();
    String code = facts.gatewayCode();
    if (mall != null && (code != null || status >= 500)) {
      record(mall, new Entry(clock.instant(), status, code, ctx.request().method().name(),
          path(ctx.request().path()), facts.requestId()));
    }
  }

  /** Adds an entry to the mall's ring. */
  synchronized void record(String mall, Entry entry) {
    ArrayDeque<Entry> ring = malls.computeIfAbsent(mall, m -> new ArrayDeque<>(PER_MALL));
    if (ring.size() == PER_MALL) {
      ring.removeFirst();
    }
    ring.addLast(entry);
  }

  /** The mall's entries, newest first, as JSON. */
  synchronized JsonArray of(String mall) {
    JsonArray out = new JsonArray();
    ArrayDeque<Entry> ring = malls.get(mall);
    if (ring != null) {
      for (Iterator<Entry> it = ring.descendingIterator(); it.hasNext(); ) {
        out.add(it.next().json());
      }
    }
    return out;
  }

  /** How many malls have entries (never more than {@link #MALLS}). */
  synchronized int trackedMalls() {
    return malls.size();
  }

  /** The path as logged: printable, bounded; the query never reaches here ({@code path()} has none). */
  private static String path(String path) {
    String printable = AccessLog.printable(path);
    return printable.length() > MAX_PATH ? printable.substring(0, MAX_PATH) + "…" : printable;
  }

  /** One error answer. */
  record Entry(Instant at, int status, String gatewayCode, String method, String path, String requestId) {

    JsonObject json() {
      return new JsonObject().put("at", Cafe24Time.iso(at)).put("status", status).put("gateway_code", gatewayCode)
          .put("method", method).put("path", path).put("request_id", requestId);
    }
  }
}
