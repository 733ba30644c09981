package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.Secret;
import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.testsupport.LogCapture;
import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TokenStore} must do beyond storing tokens: the re-authorization mark, notes of refresh attempts,
 * and re-sealing after a key rotation; and what it must never do: lose a record it cannot open, or log a token.
 */
abstract class TokenStoreLifecycleContract extends TokenStoreContract {

  static final TokenRecord.Reauthorization DEAD = new TokenRecord.Reauthorization("invalid_grant",
      "Cafe24 refused the refresh token", Instant.parse("2026-03-01T01:02:03.456789Z"));
  static final TokenRecord.RefreshAttempt REFRESHED = new TokenRecord.RefreshAttempt(
      Instant.parse("2026-03-01T00:00:00.123Z"), "refreshed", "new pair stored");
  static final TokenRecord.RefreshAttempt NO_ANSWER = new TokenRecord.RefreshAttempt(
      Instant.parse("2026-03-01T02:00:00Z"), "no_answer", "token endpoint did not answer");

  @Test
  void should_mark_and_bump_version_when_mark_sees_current_version(VertxTestContext ctx) {
    String mall = mall("mark");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "m"))
        .compose(put -> store.markReauthorizationRequired(mall, put.version(), DEAD))
        .compose(marked -> store.get(mall).map(read -> List.of(marked, read)));
    expect(ctx, records, list -> {
      TokenRecord marked = list.get(0);
      assertEquals(2, marked.version());
      assertEquals(DEAD, marked.reauthorization());
      assertEquals(tokens(mall, "m"), marked.tokens());
      assertEquals(marked, list.get(1));
    });
  }

  @Test
  void should_return_null_and_change_nothing_when_mark_version_is_stale(VertxTestContext ctx) {
    String mall = mall("stale-mark");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "one"))
        .compose(first -> store.put(mall, tokens(mall, "two")))
        .compose(second -> store.markReauthorizationRequired(mall, 1, DEAD)
            .compose(marked -> store.get(mall).map(read -> nullable(marked, second, read))));
    expect(ctx, records, list -> {
      assertNull(list.get(0));
      assertEquals(list.get(1), list.get(2));
      assertFalse(list.get(2).reauthorizationRequired());
    });
  }

  @Test
  void should_create_nothing_when_marking_clearing_or_noting_an_unknown_mall(VertxTestContext ctx) {
    String mall = mall("nobody");
    List<Object> answers = new ArrayList<>();
    Future<Boolean> listed = store.markReauthorizationRequired(mall, 0, DEAD).map(answers::add)
        .compose(added -> store.markReauthorizationRequired(mall, 1, DEAD)).map(answers::add)
        .compose(added -> store.clearReauthorization(mall)).map(answers::add)
        .compose(added -> store.recordRefresh(mall, REFRESHED))
        .compose(noted -> store.get(mall)).map(answers::add)
        .compose(added -> store.malls()).map(malls -> malls.contains(mall));
    expect(ctx, listed, contained -> {
      assertEquals(nullable(null, null, null, null), answers);
      assertFalse(contained);
    });
  }

  @Test
  void should_clear_the_mark_when_put_or_compare_and_set_writes_tokens(VertxTestContext ctx) {
    String mall = mall("unmark");
    List<TokenRecord> written = new ArrayList<>();
    Future<TokenRecord> last = store.put(mall, tokens(mall, "one"))
        .compose(put -> store.markReauthorizationRequired(mall, put.version(), DEAD))
        .compose(marked -> store.put(mall, tokens(mall, "reinstalled"))).andThen(ctx.succeeding(written::add))
        .compose(put -> store.markReauthorizationRequired(mall, put.version(), DEAD))
        .compose(marked -> store.compareAndSet(mall, marked.version(), tokens(mall, "imported")))
        .andThen(ctx.succeeding(written::add))
        .compose(swapped -> store.get(mall));
    expect(ctx, last, read -> {
      assertEquals(List.of(3L, 5L), written.stream().map(TokenRecord::version).toList());
      written.forEach(record -> assertNull(record.reauthorization(), "a token write clears the mark"));
      assertEquals(written.get(1), read);
    });
  }

  @Test
  void should_clear_the_mark_and_bump_version_when_clear_is_called(VertxTestContext ctx) {
    String mall = mall("clear");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "c"))
        .compose(put -> store.markReauthorizationRequired(mall, put.version(), DEAD))
        .compose(marked -> store.clearReauthorization(mall))
        .compose(cleared -> store.clearReauthorization(mall)
            .compose(again -> store.get(mall).map(read -> List.of(cleared, again, read))));
    expect(ctx, records, list -> {
      assertEquals(3, list.get(0).version());
      assertNull(list.get(0).reauthorization());
      assertEquals(tokens(mall, "c"), list.get(0).tokens());
      assertEquals(4, list.get(1).version(), "clearing bumps the version even when nothing was marked");
      assertEquals(list.get(1), list.get(2));
    });
  }

  @Test
  void should_clear_only_the_mark_it_read_when_clear_names_a_version(VertxTestContext ctx) {
    String mall = mall("clear-if");
    List<TokenRecord> answers = new ArrayList<>();
    Future<TokenRecord> last = store.put(mall, tokens(mall, "c"))
        .compose(put -> store.markReauthorizationRequired(mall, put.version(), DEAD))
        .compose(marked -> store.markReauthorizationRequired(mall, marked.version(), DEAD))
        // v3 now: a clear that read v2 is stale, and must leave the newer mark alone.
        .compose(remarked -> store.clearReauthorization(mall, remarked.version() - 1)).map(answers::add)
        .compose(added -> store.get(mall)).map(answers::add)
        .compose(added -> store.clearReauthorization(mall, 3))
        .compose(cleared -> store.clearReauthorization(mall + "-nobody", 1).map(nobody -> {
          assertNull(nobody, "no record is created");
          return cleared;
        }));
    expect(ctx, last, cleared -> {
      assertNull(answers.get(0), "stale version: nothing cleared");
      assertEquals(3, answers.get(1).version());
      assertEquals(DEAD, answers.get(1).reauthorization());
      assertEquals(4, cleared.version());
      assertNull(cleared.reauthorization());
      assertEquals(tokens(mall, "c"), cleared.tokens());
    });
  }

  @Test
  void should_keep_the_version_and_the_note_when_refresh_is_recorded_and_tokens_change(VertxTestContext ctx) {
    String mall = mall("noted");
    List<TokenRecord> seen = new ArrayList<>();
    Future<TokenRecord> last = store.put(mall, tokens(mall, "one"))
        .compose(put -> store.recordRefresh(mall, REFRESHED))
        .compose(noted -> store.get(mall)).andThen(ctx.succeeding(seen::add))
        .compose(read -> store.compareAndSet(mall, read.version(), tokens(mall, "two")))
        .andThen(ctx.succeeding(seen::add))
        .compose(swapped -> store.markReauthorizationRequired(mall, swapped.version(), DEAD))
        .andThen(ctx.succeeding(seen::add))
        .compose(marked -> store.put(mall, tokens(mall, "three"))).andThen(ctx.succeeding(seen::add))
        .compose(put -> store.recordRefresh(mall, NO_ANSWER))
        .compose(noted -> store.get(mall));
    expect(ctx, last, read -> {
      assertEquals(List.of(1L, 2L, 3L, 4L), seen.stream().map(TokenRecord::version).toList());
      seen.forEach(record -> assertEquals(REFRESHED, record.lastRefresh(), "kept by " + record.version()));
      assertEquals(4, read.version(), "a note is not a new version");
      assertEquals(NO_ANSWER, read.lastRefresh());
    });
  }

  @Test
  void should_leave_records_alone_when_resealing_current_or_missing_records(VertxTestContext ctx) {
    String mall = mall("current");
    Future<List<Object>> outcome = store.reseal(mall)
        .compose(missing -> store.put(mall, tokens(mall, "fresh"))
            .compose(put -> store.reseal(mall)
                .compose(current -> store.get(mall).map(read -> nullable(missing, current, put, read)))));
    expect(ctx, outcome, list -> {
      assertEquals(nullable(false, false), list.subList(0, 2));
      assertEquals(list.get(2), list.get(3));
    });
  }

  @Test
  void should_move_every_record_to_the_new_primary_key_when_resealed_after_rotation(VertxTestContext ctx) {
    String first = mall("rotate-a");
    String second = mall("rotate-b");
    List<List<TokenRecord>> reads = new ArrayList<>();
    List<Boolean> reseals = new ArrayList<>();
    Future<Boolean> done = reopen(TestKeys.sealed(TestKeys.KEY_A))
        .compose(a -> writeRotationFixture(first, second))
        .compose(written -> both(first, second)).map(reads::add)
        .compose(read -> reopen(TestKeys.sealed(TestKeys.KEY_B, TestKeys.KEY_A)))
        .compose(rotating -> both(first, second)).map(reads::add)
        .compose(read -> resealBoth(first, second)).map(reseals::addAll)
        .compose(resealed -> resealBoth(first, second)).map(reseals::addAll)
        .compose(again -> reopen(TestKeys.sealed(TestKeys.KEY_B)))
        .compose(onlyB -> both(first, second)).map(reads::add);
    expect(ctx, done, added -> {
      assertEquals(List.of(true, true, false, false), reseals, "each record re-sealed once");
      assertEquals(reads.get(0), reads.get(1), "the old key still opens");
      assertEquals(reads.get(0), reads.get(2), "the new key alone opens, and nothing else changed");
      assertEquals(REFRESHED, reads.get(2).get(0).lastRefresh());
      assertEquals(DEAD, reads.get(2).get(1).reauthorization());
    });
  }

  @Test
  void should_fail_as_unavailable_and_keep_the_record_when_no_configured_key_opens_it(VertxTestContext ctx) {
    String mall = mall("lost-key");
    List<Throwable> failures = new ArrayList<>();
    Future<TokenRecord> reopened = reopen(TestKeys.sealed(TestKeys.KEY_A))
        .compose(a -> store.put(mall, tokens(mall, "locked")))
        .compose(put -> reopen(TestKeys.sealed(TestKeys.KEY_B)))
        .compose(b -> store.get(mall)).recover(failed -> noted(failures, failed))
        .compose(none -> store.reseal(mall)).recover(failed -> noted(failures, failed))
        .compose(none -> store.put(mall("other"), tokens(mall, "other")))
        .compose(other -> reopen(TestKeys.sealed(TestKeys.KEY_A)))
        .compose(a -> store.get(mall));
    expect(ctx, reopened, read -> {
      assertEquals(2, failures.size(), "get and reseal fail: " + failures);
      failures.forEach(failure -> assertCannotOpen(mall, failure));
      assertEquals(tokens(mall, "locked"), read.tokens(), "the record outlived the missing key");
    });
  }

  @Test
  void should_log_no_token_when_records_are_written_marked_resealed_and_fail_to_open(VertxTestContext ctx) {
    String mall = mall("logged");
    LogCapture logs = LogCapture.capture();
    Future<Throwable> failed = reopen(TestKeys.sealed(TestKeys.KEY_A))
        .compose(a -> store.put(mall, tokens(mall, "logged")))
        .compose(put -> store.compareAndSet(mall, put.version(), tokens(mall, "logged-again")))
        .compose(swapped -> store.markReauthorizationRequired(mall, swapped.version(), DEAD))
        .compose(marked -> store.recordRefresh(mall, REFRESHED))
        .compose(noted -> reopen(TestKeys.sealed(TestKeys.KEY_B, TestKeys.KEY_A)))
        .compose(rotating -> store.reseal(mall))
        .compose(resealed -> reopen(TestKeys.sealed(TestKeys.KEY_A)))
        .compose(old -> store.get(mall))
        .transform(read -> Future.succeededFuture(read.cause()))
        .andThen(done -> logs.close());
    expect(ctx, failed, failure -> {
      assertCannotOpen(mall, failure);
      assertFalse(logs.linesContaining(mall).isEmpty(), "the failure to open was logged");
      assertEquals(List.of(), logs.linesContaining(CANARY, "keyA:", "keyB:", keyBytes(TestKeys.KEY_A),
          keyBytes(TestKeys.KEY_B)));
    });
  }

  // --- helpers ---

  /** Closes the store and opens the same records with {@code codec}; the new store is the one the test closes. */
  Future<TokenStore> reopen(TokenCodec codec) {
    return store.close().compose(closed -> openStore(vertx, codec)).map(opened -> {
      store = opened;
      return store;
    });
  }

  private Future<Void> writeRotationFixture(String first, String second) {
    return store.put(first, tokens(first, "one"))
        .compose(put -> store.put(second, tokens(second, "two")))
        .compose(put -> store.markReauthorizationRequired(second, put.version(), DEAD))
        .compose(marked -> store.recordRefresh(first, REFRESHED));
  }

  private Future<List<TokenRecord>> both(String first, String second) {
    return store.get(first).compose(one -> store.get(second).map(two -> List.of(one, two)));
  }

  private Future<List<Boolean>> resealBoth(String first, String second) {
    return store.reseal(first).compose(one -> store.reseal(second).map(two -> List.of(one, two)));
  }

  private static <T> Future<T> noted(List<Throwable> failures, Throwable failure) {
    failures.add(failure);
    return Future.succeededFuture();
  }

  private static String keyBytes(Secret key) {
    return key.reveal().substring(key.reveal().indexOf(':') + 1);
  }

  static void assertCannotOpen(String mall, Throwable cause) {
    GatewayFailure failure = assertInstanceOf(GatewayFailure.class, cause);
    assertEquals(ErrorCode.TOKEN_STORE_UNAVAILABLE, failure.code());
    assertEquals("stored token record for mall " + mall + " cannot be opened (wrong or missing encryption key?)",
        failure.getMessage());
    assertTrue(failure.getCause() == null, "no cause that might quote content");
  }
}
