package io.mallgate.proxy;

import io.mallgate.config.GatewayConfig;
import io.mallgate.proxy.CoalesceCounters.Outcome;
import io.mallgate.resilience.BodyMemory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The coalesce step ({@code proxy.coalesce}): concurrent identical GETs of a mall ({@link CoalesceKey}) share one
 * call to Cafe24. The first, the leader, goes on through the chain as any request does; the others wait on its call
 * ({@link SharedCall}) before they take a concurrency place, a rate slot or a token, so a burst of them costs one
 * place, one slot and one call. Each gets the status, headers and body as its own answer, with its own
 * {@code X-Request-Id}; or, when the call failed, the same failure rendered as its own. Only a call in flight is
 * shared: once it has answered, the next identical GET makes a new call. Nothing is cached. A call takes waiters
 * until its body is in; one that nobody had joined by the time Cafe24's head came takes none after it, so that its
 * body streams to its caller with no copy kept.
 *
 * <ul>
 *   <li>An answer over {@code proxy.coalesceMaxBody} is streamed to the leader's caller alone, and the waiters make
 *       their own calls; the key is not shared again for {@link #UNSHARED_NANOS}, so a large answer never makes its
 *       callers queue behind each other. So too an answer that {@code Vary}s by a header the key does not hold.</li>
 *   <li>When the leader's caller goes away before the answer is in, its call is cut as any abandoned call is; its
 *       waiters try again, once, and may share a new call among themselves.</li>
 *   <li>A waiter keeps its own deadline ({@code proxy.totalTimeout} from its arrival); one whose caller leaves or
 *       whose deadline passes simply stops waiting: the call and the other waiters do not notice.</li>
 * </ul>
 *
 * <p>Shared by every event loop of the instance (a burst spreads over them): the calls in flight are in one
 * concurrent map, and a waiter hears the outcome on the leader's loop and carries on on its own
 * ({@link RequestLoop#back}). The cost for a GET that nobody joins: one pass over its headers for the key, one map
 * insert and removal, a small {@link SharedCall} and two listeners on its own request; its body is never copied.
 * Thread-safe.
 */
public final class Coalescing {

  /** How long a key whose answer was too large (or varied by caller) is not shared again. */
  static final long UNSHARED_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** At most this many keys are remembered so; past it (all still fresh) a key is not remembered. */
  static final int UNSHARED_KEYS = 1024;

  private final boolean enabled;
  private final long maxBody;
  private final BodyMemory memory;
  private final ConcurrentHashMap<CoalesceKey, SharedCall> inFlight = new ConcurrentHashMap<>();
  /** Keys whose answer was too large or varied by caller, until a {@link System#nanoTime}. */
  private final ConcurrentHashMap<CoalesceKey, Long> unshared = new ConcurrentHashMap<>();
  private final CoalesceCounters counters = new CoalesceCounters();

  /** @param memory the instance's body memory, which the kept answers count against too */
  public Coalescing(GatewayConfig.Proxy limits, BodyMemory memory) {
    this.enabled = limits.coalesce();
    this.maxBody = limits.coalesceMaxBody();
    this.memory = memory;
  }

  public CoalesceCounters counters() {
    return counters;
  }

  /** The step: leads a new shared call, waits on one in flight, or — not a GET to share — goes on alone. */
  Future<HttpClientResponse> join(ProxyCall call, ProxyChain next) {
    if (!enabled) {
      return next.proceed(call);
    }
    HttpServerRequest request = call.request();
    CoalesceKey key = CoalesceKey.of(request.method(), request.path(), request.query(), request.headers(),
        call.target().front());
    if (key == null || rememberedUnshared(key)) {
      return next.proceed(call);
    }
    SharedCall fresh = new SharedCall(this, key);
    SharedCall running = inFlight.putIfAbsent(key, fresh);
    if (running == null) {
      return lead(call, next, fresh);
    }
    Future<SharedAnswer> shared = running.join();
    // Ended between the lookup and the join: this one goes alone rather than racing for the next call.
    return shared == null ? next.proceed(call) : await(call, next, shared);
  }

  private Future<HttpClientResponse> lead(ProxyCall call, ProxyChain next, SharedCall shared) {
    call.lead(shared);
    // Whatever became of the exchange, no waiter outlives the leader's request: an ended call ignores this.
    call.ctx().addEndHandler(ended -> shared.release(Outcome.LEADER_LEFT));
    return next.proceed(call).onFailure(failure -> call.loop().run(() ->
        shared.failed(failure, failure instanceof ProxyCall.Abandoned || call.abandoned())));
  }

  /**
   * Waits for the shared call's outcome within this caller's own deadline, then answers with it (the relay writes
   * what {@link ProxyCall#served} holds), fails with its failure, or — released — tries once more.
   */
  private Future<HttpClientResponse> await(ProxyCall call, ProxyChain next, Future<SharedAnswer> shared) {
    Vertx vertx = call.ctx().vertx();
    Promise<SharedAnswer> mine = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, (call.deadline() - System.nanoTime()) / 1_000_000),
        fired -> mine.tryFail(Deadline.timedOut()));
    call.loop().back(shared).onComplete(outcome -> {
      vertx.cancelTimer(timer);
      boolean taken = outcome.succeeded() ? mine.tryComplete(outcome.result()) : mine.tryFail(outcome.cause());
      if (!taken && outcome.succeeded()) {
        outcome.result().delivered(); // this caller had its answer already (its deadline)
      }
    });
    return mine.future().compose(answer -> {
      if (answer.released()) {
        return again(call, next);
      }
      if (call.abandoned()) {
        answer.delivered();
        return Future.failedFuture(new ProxyCall.Abandoned());
      }
      call.serve(answer);
      return Future.succeededFuture();
    });
  }

  /** Released by its shared call: one more try at sharing (the key may be too large now), then alone. */
  private Future<HttpClientResponse> again(ProxyCall call, ProxyChain next) {
    if (!call.firstRelease()) {
      return next.proceed(call);
    }
    return join(call, next);
  }

  private boolean rememberedUnshared(CoalesceKey key) {
    if (unshared.isEmpty()) {
      return false;
    }
    Long until = unshared.get(key);
    if (until == null) {
      return false;
    }
    if (until - System.nanoTime() > 0) {
      return true;
    }
    unshared.remove(key, until);
    return false;
  }

  /** The key is not shared again for {@link #UNSHARED_NANOS}: its answer was too large, or varies by caller. */
  void rememberUnshared(CoalesceKey key) {
    long now = System.nanoTime();
    if (unshared.size() >= UNSHARED_KEYS) {
      unshared.values().removeIf(until -> until - now <= 0);
      if (unshared.size() >= UNSHARED_KEYS) {
        return;
      }
    }
    unshared.put(key, now + UNSHARED_NANOS);
  }

  /** A shared call takes no more waiters: later identical GETs make a new call. */
  void ended(SharedCall call, Outcome outcome, int waiters) {
    inFlight.remove(call.key(), call);
    counters.ended(outcome, waiters);
  }

  long maxBody() {
    return maxBody;
  }

  BodyMemory memory() {
    return memory;
  }

  /** Calls that may be joined now (for tests: none is left behind once every call has ended). */
  int inFlight() {
    return inFlight.size();
  }
}
