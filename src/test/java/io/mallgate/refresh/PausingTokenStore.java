package io.mallgate.refresh;

import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * A real {@link TokenStore} with a random pause before and after each of the refresh protocol's operations, which
 * also records every operation in the {@link RunTrace}: what was asked, which record came back, and where the Redis
 * command sits in the run's global order (its position is taken just before the command is sent and just after the
 * reply arrives, so the recorded interval contains the moment Redis ran it).
 */
final class PausingTokenStore implements TokenStore {

  private final TokenStore delegate;
  private final Pauses pauses;
  private final RunTrace trace;
  private final String who;

  PausingTokenStore(TokenStore delegate, Pauses pauses, RunTrace trace, String who) {
    this.delegate = delegate;
    this.pauses = pauses;
    this.trace = trace;
    this.who = who;
  }

  @Override
  public Future<TokenRecord> get(String mall) {
    return step("get", false, () -> delegate.get(mall));
  }

  @Override
  public Future<TokenRecord> put(String mall, TokenResponse tokens) {
    return step("put " + trace.label(tokens.refreshToken()), true, () -> delegate.put(mall, tokens));
  }

  @Override
  public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
    String rt = trace.label(tokens.refreshToken());
    return step("cas(v" + expectedVersion + ", " + rt + ")", true,
        () -> delegate.compareAndSet(mall, expectedVersion, tokens).andThen(done -> {
          if (done.succeeded() && done.result() == null) {
            trace.discarded(rt);
          }
        }));
  }

  @Override
  public Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
      TokenRecord.Reauthorization reauthorization) {
    String op = "mark(v" + expectedVersion + ", " + reauthorization.reason() + ")";
    return step(op, true, () -> delegate.markReauthorizationRequired(mall, expectedVersion, reauthorization));
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall) {
    return step("clear", true, () -> delegate.clearReauthorization(mall));
  }

  @Override
  public Future<TokenRecord> clearReauthorization(String mall, long expectedVersion) {
    return step("clear if v" + expectedVersion, true, () -> delegate.clearReauthorization(mall, expectedVersion));
  }

  @Override
  public Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt) {
    return pauses.next().compose(before -> {
      trace.event(who, "note last refresh: " + attempt.outcome());
      Future<Void> written = delegate.recordRefresh(mall, attempt);
      return written.transform(done -> pauses.next().transform(after -> written));
    });
  }

  @Override
  public Future<Boolean> reseal(String mall) {
    return delegate.reseal(mall);
  }

  @Override
  public Future<Boolean> delete(String mall) {
    return delegate.delete(mall);
  }

  @Override
  public Future<List<String>> malls() {
    return delegate.malls();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private Future<TokenRecord> step(String op, boolean write, Supplier<Future<TokenRecord>> call) {
    return pauses.next().compose(before -> {
      long start = trace.tick();
      Future<TokenRecord> reply = call.get();
      return reply.transform(done -> {
        trace.storeOp(who, op, start, done, write);
        return pauses.next().transform(after -> reply);
      });
    });
  }
}
