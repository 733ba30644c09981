package io.mallgate.token;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.tracing.Span;
import io.mallgate.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Set;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redeems refresh tokens, exactly once each, across every instance. The protocol:
 * <ol>
 *   <li>single flight: concurrent needs for one mall's refresh in this process join one run;</li>
 *   <li>a cheap re-read: when the stored version already moved past the one the caller saw, use it, no lock;</li>
 *   <li>the mall's {@link RefreshLock}, then a re-read under it: a moved version ends the run;</li>
 *   <li>renew the lease, then call the token endpoint (its deadline is shorter than the lease);</li>
 *   <li>write the new pair by compare-and-set on the version, announce it, release the lock.</li>
 * </ol>
 * Failures: Cafe24 unreachable (nothing sent) is retried; a 5xx or no answer may have redeemed the token, so it is
 * retried once with the same token — a refusal of the refresh token then means the lost answer had redeemed it. A
 * refusal that names the refresh token ({@link RefusalVerdict}) with no newer stored token marks the mall
 * {@code reauthorization_required}; a refusal of the client marks nothing and holds refreshes back
 * ({@link ClientStanding}); what each ending means is {@link RefreshOutcomes}' business. A transient failure never
 * marks the mall. Thread-safe.
 *
 * <p>Traces: a run is the span {@code token.refresh} (the mall, and how it ended: {@code mallgate.refresh.outcome}
 * or the failure's code), child of the span that needed it, or a trace of its own for the keep-alive and an operator.
 * Under it, {@code token.refresh.lock} is the wait for the lock and {@code cafe24.token} each call to the token
 * endpoint (attempt, status, the OAuth error word of a refusal). A need that joins a run in flight gets an event on its
 * own span. No token and nothing of Cafe24's answer beyond its status and error word is recorded.
 */
public final class TokenRefresher {

  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);
  private static final int MAX_ATTEMPTS = 3;
  /** The marks this class sets; only these may be lifted by a pair it holds (see afterLostWrite). */
  private static final Set<String> PROTOCOL_MARKS = Set.of("invalid_grant", "refresh_token_lost");

  private final Vertx vertx;
  private final TokenStore store;
  private final RefreshLock lock;
  private final TokenEndpoint endpoint;
  private final RefreshListener listener;
  private final Duration lockWait;
  private final InstallHints hints;
  private final ClientStanding standing;
  private final RefreshOutcomes outcomes;
  private final Tracing tracing;
  private final ConcurrentHashMap<String, Flight> inFlight = new ConcurrentHashMap<>();
  /** Set once shutdown begins (see {@link #settle}); read before every attempt at the token endpoint. */
  private volatile boolean closing;

  /** Holds refreshes back while {@code endpoint}'s {@link TokenEndpoint#standing() standing} is refused. */
  public TokenRefresher(Vertx vertx, TokenStore store, RefreshLock lock, TokenEndpoint endpoint,
      TokenUpdates updates, RefreshListener listener, Clock clock, Duration lockWait, InstallHints hints) {
    this(vertx, store, lock, endpoint, updates, listener, clock, lockWait, hints, Tracing.OFF);
  }

  /** @param tracing where runs that no span asked for (the keep-alive's, an operator's) start their trace */
  public TokenRefresher(Vertx vertx, TokenStore store, RefreshLock lock, TokenEndpoint endpoint,
      TokenUpdates updates, RefreshListener listener, Clock clock, Duration lockWait, InstallHints hints,
      Tracing tracing) {
    this.tracing = tracing;
    this.vertx = vertx;
    this.store = store;
    this.lock = lock;
    this.endpoint = endpoint;
    this.listener = listener;
    this.lockWait = lockWait;
    this.hints = hints;
    this.standing = endpoint.standing();
    this.outcomes = new RefreshOutcomes(store, updates, listener, clock, hints, standing);
  }

  /**
   * Makes sure the mall's record is newer than {@code seenVersion}, refreshing it if nobody else has.
   *
   * @return the current record (possibly written by someone else); {@code null} when the mall has no record. Fails
   *         with a {@link GatewayFailure}: {@code mall_reauthorization_required}, {@code token_refresh_unavailable},
   *         {@code token_refresh_failed}, {@code cafe24_client_rejected} or {@code token_store_unavailable}.
   */
  public Future<TokenRecord> refresh(String mall, long seenVersion) {
    return start(mall, seenVersion, null); // no request asked: a trace of its own
  }

  /**
   * As {@link #refresh(String, long)}, for the work traced by {@code parent}: a run started here is its child.
   *
   * @param parent the span that needs the refresh ({@link Span#NONE} when not traced)
   */
  public Future<TokenRecord> refresh(String mall, long seenVersion, Span parent) {
    return start(mall, seenVersion, Objects.requireNonNull(parent, "parent"));
  }

  /** {@code parent} {@code null}: the run's span is a root. */
  private Future<TokenRecord> start(String mall, long seenVersion, Span parent) {
    Promise<TokenRecord> promise = Promise.promise();
    Flight mine = new Flight(seenVersion, promise.future());
    Flight running = inFlight.putIfAbsent(mall, mine);
    if (running != null) {
      if (parent != null) {
        parent.event("joined a refresh in flight");
      }
      // A run for an older version may end without refreshing (it sees ours as "moved"): then go again after it.
      return running.seen >= seenVersion ? running.result
          : running.result.transform(done -> start(mall, seenVersion, parent));
    }
    Span span = (parent == null ? tracing.root("token.refresh", Span.Kind.INTERNAL) : parent.child("token.refresh"))
        .set(Span.MALL, mall);
    run(mall, seenVersion, span).onComplete(done -> {
      inFlight.remove(mall, mine);
      span.end(done);
      promise.handle(done);
    });
    return mine.result;
  }

  /**
   * An operator's refresh: as {@link #refresh}, but a refused client's backoff does not hold it back (it is the probe
   * an operator asks for).
   */
  public Future<TokenRecord> refreshNow(String mall, long seenVersion) {
    standing.retryNow();
    return refresh(mall, seenVersion);
  }

  /**
   * Completes when every refresh running now has ended, whatever its outcome; never fails. Shutdown waits for this
   * (bounded) so that no redeemed pair is lost with the process and every lock is released by its refresh.
   *
   * <p>From this call on, no refresh makes a new attempt at Cafe24's token endpoint: an attempt not made redeems
   * nothing, and another instance refreshes later, whereas a retry started late could still be waiting for its
   * answer when the grace ends and the process is cut — the one loss the protocol cannot repair.
   */
  public Future<Void> settle() {
    closing = true;
    List<Future<TokenRecord>> running = inFlight.values().stream().map(flight -> flight.result).toList();
    return Future.join(running).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<TokenRecord> run(String mall, long seen, Span span) {
    return store.get(mall).compose(record -> record == null || record.version() > seen
        ? Future.succeededFuture(newerFound(span, record))
        : acquire(mall, span).compose(lease -> underLock(mall, seen, lease, span).eventually(lease::release)));
  }

  private static TokenRecord newerFound(Span span, TokenRecord record) {
    span.set(Span.REFRESH_OUTCOME, record == null ? "no_record" : "newer_found");
    return record;
  }

  private Future<RefreshLock.Lease> acquire(String mall, Span span) {
    long start = System.nanoTime();
    Span waiting = span.child("token.refresh.lock");
    return lock.acquire(mall, lockWait)
        .andThen(got -> {
          waiting.end(got);
          notify(() -> listener.lockAcquired(mall, System.nanoTime() - start));
        });
  }

  private Future<TokenRecord> underLock(String mall, long seen, RefreshLock.Lease lease, Span span) {
    return store.get(mall).compose(record -> {
      if (record == null || record.version() > seen) {
        return Future.succeededFuture(newerFound(span, record));
      }
      if (record.reauthorizationRequired()) {
        return Future.failedFuture(hints.reauthorizationRequired(mall, record.reauthorization()));
      }
      return redeem(mall, record, lease, new Attempt(1, false), span);
    });
  }

  private Future<TokenRecord> redeem(String mall, TokenRecord record, RefreshLock.Lease lease, Attempt attempt,
      Span span) {
    if (closing) {
      LOG.info("refresh of mall {}: the gateway is stopping, attempt {} not made (nothing redeemed)", mall,
          attempt.number);
      return Future.failedFuture(new GatewayFailure(ErrorCode.TOKEN_REFRESH_UNAVAILABLE,
          "the gateway is stopping; try again shortly", Map.of("Retry-After", "5")));
    }
    // While Cafe24 refuses the client, a refresh would be refused too: one probe per backoff period goes through.
    // Retries of an attempt that went through are its own (the probe's) business.
    if (attempt.number == 1 && !standing.mayCall()) {
      return Future.failedFuture(standing.failure());
    }
    return lease.renew()
        .compose(renewed -> call(mall, record, attempt, span)
            .compose(tokens -> write(mall, record, tokens, span),
                failure -> failed(mall, record, lease, attempt, failure, span)));
  }

  /** One call to the token endpoint, as the client span {@code cafe24.token}. */
  private Future<TokenResponse> call(String mall, TokenRecord record, Attempt attempt, Span span) {
    Span call = span.child("cafe24.token", Span.Kind.CLIENT).set(Span.ATTEMPT, attempt.number);
    Future<TokenResponse> answered = endpoint.refresh(mall, record.tokens().refreshToken(), call);
    return call.recording() ? answered.andThen(outcome -> {
      if (outcome.failed() && outcome.cause() instanceof TokenEndpointException e) {
        // The OAuth error word of a refusal (invalid_grant, a safe word by construction), else the kind of failure.
        call.failed(e.error() != null ? e.error() : e.kind().name().toLowerCase(Locale.ROOT)).end();
      } else {
        call.end(outcome);
      }
    }) : answered;
  }

  private Future<TokenRecord> write(String mall, TokenRecord record, TokenResponse tokens, Span span) {
    return store.compareAndSet(mall, record.version(), tokens).compose(stored -> {
      span.set(Span.REFRESH_OUTCOME, stored != null ? "refreshed" : "lost_write");
      return stored != null
          ? outcomes.stored(mall, stored)
          : store.get(mall).compose(current -> afterLostWrite(mall, record, tokens, current));
    });
  }

  /**
   * The version moved while we redeemed: an install or import (theirs is newer), or — when our lease ran out —
   * another instance that presented the same, now dead, refresh token and marked the mall. In that case the pair we
   * hold is the only live one: write it over the mark rather than lock the merchant out for nothing.
   */
  private Future<TokenRecord> afterLostWrite(String mall, TokenRecord redeemed, TokenResponse tokens,
      TokenRecord current) {
    // Only a mark the refresh protocol set for this very token; a mark from Cafe24 itself (app deleted or expired)
    // stands whatever we hold.
    if (current != null && current.reauthorizationRequired()
        && PROTOCOL_MARKS.contains(current.reauthorization().reason())
        && current.tokens().refreshToken().equals(redeemed.tokens().refreshToken())) {
      LOG.warn("refresh of mall {}: another instance marked it after our lease ran out, but we hold the pair Cafe24 "
          + "issued for that very token; storing it and clearing the mark", mall);
      return store.compareAndSet(mall, current.version(), tokens)
          .compose(stored -> stored != null ? outcomes.stored(mall, stored) : store.get(mall));
    }
    LOG.error("refresh of mall {}: the stored version moved from {} while we redeemed; keeping the newer stored "
        + "record and discarding the pair just issued", mall, redeemed.version());
    return Future.succeededFuture(current);
  }

  private Future<TokenRecord> failed(String mall, TokenRecord record, RefreshLock.Lease lease, Attempt attempt,
      Throwable failure, Span span) {
    if (!(failure instanceof TokenEndpointException e)) {
      return Future.failedFuture(failure);
    }
    return switch (e.kind()) {
      case REJECTED -> switch (e.verdict()) {
        case REFRESH_TOKEN_DEAD -> outcomes.deadGrant(mall, record, attempt.uncertain, e);
        case CLIENT_REJECTED -> outcomes.clientRejected(mall, e);
        case OTHER -> outcomes.rejected(mall, e);
      };
      case UNREACHABLE -> attempt.number < MAX_ATTEMPTS
          ? retry(mall, record, lease, attempt.next(false), span) : outcomes.gaveUp(mall, e, "unreachable");
      case UNAVAILABLE, NO_ANSWER -> !attempt.uncertain && attempt.number < MAX_ATTEMPTS
          ? retry(mall, record, lease, attempt.next(true), span)
          : outcomes.gaveUp(mall, e, e.kind() == TokenEndpointException.Kind.NO_ANSWER ? "no_answer" : "unavailable");
    };
  }

  private Future<TokenRecord> retry(String mall, TokenRecord record, RefreshLock.Lease lease, Attempt attempt,
      Span span) {
    long backoff = 100L << attempt.number;
    long pause = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    LOG.info("refresh of mall {}: attempt {} in {} ms (same refresh token)", mall, attempt.number, pause);
    return vertx.timer(pause).compose(fired -> redeem(mall, record, lease, attempt, span));
  }

  private static void notify(Runnable call) {
    RefreshOutcomes.notify(call);
  }

  private record Flight(long seen, Future<TokenRecord> result) {
  }

  /** {@code uncertain}: an earlier attempt may have redeemed the token (5xx or no answer). */
  private record Attempt(int number, boolean uncertain) {
    Attempt next(boolean uncertainNow) {
      return new Attempt(number + 1, uncertain || uncertainNow);
    }
  }
}
