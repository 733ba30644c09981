package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link TokenStore} must do, with whatever {@link TokenCodec} the subclass picks (each store runs it
 * sealed and plain). A subclass opens its store; mall ids are unique per test, so stores that outlive a test (a shared
 * Redis) need no cleaning. The re-authorization mark, refresh notes and re-sealing are in
 * {@link TokenStoreLifecycleContract}.
 */
@ExtendWith(VertxExtension.class)
abstract class TokenStoreContract {

  /** Every token in the fixtures contains this: output that shows it has leaked a token. */
  static final String CANARY = "CANARY";

  protected Vertx vertx;
  protected TokenStore store;

  /**
   * Opens the store under test on {@code vertx} with {@code codec}. Called again within a test, it opens the same
   * records (the same Redis, the same file) once the previous store is closed.
   */
  protected abstract Future<? extends TokenStore> openStore(Vertx vertx, TokenCodec codec);

  /** The codec the store under test writes with: sealed unless a subclass says otherwise. */
  protected TokenCodec codec() {
    return TestKeys.sealed(TestKeys.KEY_A);
  }

  @BeforeEach
  void openTheStore(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    openStore(vertx, codec()).onComplete(ctx.succeeding(opened -> {
      store = opened;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void closeTheStore(VertxTestContext ctx) {
    store.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void should_return_null_when_mall_is_unknown(VertxTestContext ctx) {
    expect(ctx, store.get(mall("unknown")), record -> assertNull(record));
  }

  @Test
  void should_number_versions_from_one_when_put_repeatedly(VertxTestContext ctx) {
    String mall = mall("put");
    Future<List<Long>> versions = store.put(mall, tokens(mall, "one"))
        .compose(first -> store.put(mall, tokens(mall, "two"))
            .map(second -> List.of(first.version(), second.version())));
    expect(ctx, versions, list -> assertEquals(List.of(1L, 2L), list));
  }

  @Test
  void should_round_trip_every_field_when_read_back(VertxTestContext ctx) {
    String full = mall("full");
    String minimal = mall("minimal");
    Future<List<TokenRecord>> records = store.put(full, tokens(full, "full"))
        .compose(putFull -> store.put(minimal, minimalTokens("minimal"))
            .compose(putMinimal -> store.get(full)
                .compose(gotFull -> store.get(minimal)
                    .map(gotMinimal -> List.of(putFull, gotFull, putMinimal, gotMinimal)))));
    expect(ctx, records, list -> {
      assertEquals(list.get(0), list.get(1));
      assertEquals(list.get(2), list.get(3));
      TokenResponse read = list.get(1).tokens();
      assertEquals(Instant.parse("2021-03-01T05:00:00Z"), read.expiresAt(), "14:00 Korea time is 05:00 UTC");
      assertEquals(Instant.parse("2021-03-15T03:00:00Z"), read.refreshTokenExpiresAt());
      assertEquals(Instant.parse("2021-03-01T03:00:00Z"), read.issuedAt());
      assertEquals(List.of("mall.read_order", "mall.read_product"), read.scopes());
      assertEquals(tokens(full, "full"), read);
      TokenResponse sparse = list.get(3).tokens();
      assertNull(sparse.issuedAt());
      assertNull(sparse.shopNo());
      assertNull(sparse.tokenType());
      assertEquals(List.of(), sparse.scopes());
      assertTrue(Duration.between(list.get(1).updatedAt(), Instant.now()).abs().toMinutes() < 5,
          "updatedAt is the time of writing");
    });
  }

  @Test
  void should_write_and_bump_version_when_compare_and_set_sees_current_version(VertxTestContext ctx) {
    String mall = mall("cas");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "old"))
        .compose(put -> store.compareAndSet(mall, put.version(), tokens(mall, "new")))
        .compose(swapped -> store.get(mall).map(read -> List.of(swapped, read)));
    expect(ctx, records, list -> {
      assertEquals(2, list.get(0).version());
      assertEquals(tokens(mall, "new"), list.get(0).tokens());
      assertEquals(list.get(0), list.get(1));
    });
  }

  @Test
  void should_return_null_and_change_nothing_when_compare_and_set_version_is_stale(VertxTestContext ctx) {
    String mall = mall("stale");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "one"))
        .compose(first -> store.put(mall, tokens(mall, "two")))
        .compose(second -> store.compareAndSet(mall, 1, tokens(mall, "late"))
            .compose(swapped -> store.get(mall).map(read -> nullable(swapped, second, read))));
    expect(ctx, records, list -> {
      assertNull(list.get(0));
      assertEquals(list.get(1), list.get(2));
    });
  }

  @Test
  void should_return_null_when_compare_and_set_finds_no_record(VertxTestContext ctx) {
    String mall = mall("absent");
    Future<List<TokenRecord>> records = store.compareAndSet(mall, 0, tokens(mall, "zero"))
        .compose(atZero -> store.compareAndSet(mall, 1, tokens(mall, "one"))
            .compose(atOne -> store.get(mall).map(read -> nullable(atZero, atOne, read))));
    expect(ctx, records, list -> assertEquals(nullable(null, null, null), list));
  }

  @Test
  void should_report_true_then_false_when_deleting_twice(VertxTestContext ctx) {
    String mall = mall("delete");
    Future<List<Object>> outcome = store.put(mall, tokens(mall, "doomed"))
        .compose(put -> store.delete(mall))
        .compose(first -> store.delete(mall)
            .compose(second -> store.get(mall)
                .compose(read -> store.malls()
                    .map(malls -> nullable(first, second, read, malls.contains(mall))))));
    expect(ctx, outcome, list -> assertEquals(nullable(true, false, null, false), list));
  }

  @Test
  void should_list_malls_sorted_when_several_are_stored(VertxTestContext ctx) {
    String prefix = mall("sorted");
    List<String> ours = List.of(prefix + "-c", prefix + "-a", prefix + "-b");
    Future<List<String>> listed = store.put(ours.get(0), tokens(ours.get(0), "c"))
        .compose(c -> store.put(ours.get(1), tokens(ours.get(1), "a")))
        .compose(a -> store.put(ours.get(2), tokens(ours.get(2), "b")))
        .compose(b -> store.malls());
    expect(ctx, listed, malls -> {
      List<String> sorted = new ArrayList<>(malls);
      sorted.sort(null);
      assertEquals(sorted, malls);
      assertEquals(List.of(prefix + "-a", prefix + "-b", prefix + "-c"),
          malls.stream().filter(m -> m.startsWith(prefix)).toList());
    });
  }

  @Test
  void should_let_exactly_one_writer_win_when_fifty_compare_and_set_race(VertxTestContext ctx) {
    String mall = mall("race");
    Future<List<Object>> outcome = store.put(mall, tokens(mall, "start"))
        .compose(put -> Future.all(IntStream.range(0, 50)
            .mapToObj(i -> store.compareAndSet(mall, put.version(), tokens(mall, "racer" + i)))
            .toList()))
        .compose(all -> store.get(mall).map(read -> nullable(
            all.<TokenRecord>list().stream().filter(Objects::nonNull).toList(), read)));
    expect(ctx, outcome, list -> {
      List<?> winners = (List<?>) list.get(0);
      assertEquals(1, winners.size(), "exactly one compare-and-set wins");
      assertEquals(winners.get(0), list.get(1));
      assertEquals(2, ((TokenRecord) list.get(1)).version());
    });
  }

  @Test
  void should_never_show_a_token_when_records_are_printed(VertxTestContext ctx) {
    String mall = mall("print");
    Future<List<TokenRecord>> records = store.put(mall, tokens(mall, "secret"))
        .compose(put -> store.get(mall).map(read -> List.of(put, read)));
    expect(ctx, records, list -> list.forEach(record -> {
      assertFalse(record.toString().contains(CANARY), record.toString());
      assertFalse(record.tokens().toString().contains(CANARY));
    }));
  }

  @Test
  void should_fail_as_unavailable_when_used_after_close(VertxTestContext ctx) {
    String mall = mall("closed");
    Future<TokenRecord> afterClose = store.close().compose(closed -> store.get(mall));
    expectFailure(ctx, afterClose, ErrorCode.TOKEN_STORE_UNAVAILABLE);
  }

  // --- fixtures and helpers ---

  /** A unique, valid mall id: lowercase letters, digits and hyphens. */
  static String mall(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Cafe24's full token response, every token marked with {@link #CANARY}. */
  static TokenResponse tokens(String mall, String tag) {
    return TokenResponse.fromJson(new JsonObject()
        .put("access_token", "atk-" + CANARY + "-" + tag)
        .put("expires_at", "2021-03-01T14:00:00.000")
        .put("refresh_token", "rtk-" + CANARY + "-" + tag)
        .put("refresh_token_expires_at", "2021-03-15T12:00:00.000")
        .put("client_id", "client-" + tag)
        .put("mall_id", mall)
        .put("user_id", "u")
        .put("scopes", new JsonArray().add("mall.read_order").add("mall.read_product"))
        .put("issued_at", "2021-03-01T12:00:00.000")
        .put("shop_no", "1")
        .put("token_type", "Bearer"));
  }

  /** An older response shape: no issued_at, shop_no, token_type or scopes. */
  static TokenResponse minimalTokens(String tag) {
    return TokenResponse.fromJson(new JsonObject()
        .put("access_token", "atk-" + CANARY + "-" + tag)
        .put("expires_at", "2021-03-01T14:00:00.000")
        .put("refresh_token", "rtk-" + CANARY + "-" + tag)
        .put("refresh_token_expires_at", "2021-03-15T12:00:00.000"));
  }

  /** {@code List.of} that accepts nulls. */
  @SafeVarargs
  static <T> List<T> nullable(T... values) {
    return new ArrayList<>(java.util.Arrays.asList(values));
  }

  static <T> void expect(VertxTestContext ctx, Future<T> future, Consumer<T> check) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      check.accept(value);
      ctx.completeNow();
    })));
  }

  static void expectFailure(VertxTestContext ctx, Future<?> future, ErrorCode code) {
    future.onComplete(ctx.failing(cause -> ctx.verify(() -> {
      GatewayFailure failure = assertInstanceOf(GatewayFailure.class, cause);
      assertEquals(code, failure.code());
      assertFalse(String.valueOf(failure.getMessage()).contains(CANARY));
      ctx.completeNow();
    })));
  }
}
