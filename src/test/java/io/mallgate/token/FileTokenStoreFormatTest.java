package io.mallgate.token;

import static io.mallgate.token.TokenStoreContract.CANARY;
import static io.mallgate.token.TokenStoreContract.expect;
import static io.mallgate.token.TokenStoreContract.mall;
import static io.mallgate.token.TokenStoreContract.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.testsupport.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's file at rest: sealed tokens, the upgrade from format 1, records no key opens. */
@ExtendWith(VertxExtension.class)
class FileTokenStoreFormatTest {

  private static final TokenCodec SEALED = TestKeys.sealed(TestKeys.KEY_A);

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("tokens.json");
  }

  @Test
  void should_read_a_format_1_file_and_rewrite_it_sealed_when_opened(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    String mall = mall("old");
    JsonObject entry = new JsonObject().put("v", 3).put("updated", "2026-01-01T00:00:00Z")
        .put("tokens", tokens(mall, "old").toJson());
    Files.writeString(file(), new JsonObject().put("format", 1).put("malls", new JsonObject().put(mall, entry))
        .encode());
    LogCapture logs = LogCapture.capture();
    Future<TokenRecord> read = FileTokenStore.open(vertx, file(), SEALED)
        .compose(store -> store.get(mall).eventually(store::close))
        .andThen(done -> logs.close());
    expect(ctx, read, record -> {
      assertEquals(new TokenRecord(mall, tokens(mall, "old"), 3, Instant.parse("2026-01-01T00:00:00Z")), record);
      JsonObject rewritten = new JsonObject(text(file()));
      assertEquals(2, rewritten.getInteger("format"));
      assertTrue(rewritten.getJsonObject("malls").getJsonObject(mall).getString("data").startsWith("mg1.keyA."));
      assertFalse(text(file()).contains(CANARY), "no token left in clear");
      assertEquals(List.of(), logs.linesContaining(CANARY));
    });
  }

  @Test
  void should_hold_no_token_in_the_file_when_tokens_are_sealed(Vertx vertx, VertxTestContext ctx) {
    String mall = mall("sealed");
    Future<String> bytes = FileTokenStore.open(vertx, file(), SEALED).compose(store -> store
        .put(mall, tokens(mall, "one"))
        .compose(put -> store.compareAndSet(mall, put.version(), tokens(mall, "two")))
        .compose(swapped -> store.markReauthorizationRequired(mall, swapped.version(),
            TokenStoreLifecycleContract.DEAD))
        .compose(marked -> store.recordRefresh(mall, TokenStoreLifecycleContract.REFRESHED))
        .eventually(store::close))
        .compose(closed -> vertx.executeBlocking(() -> text(file())));
    expect(ctx, bytes, content -> {
      assertTrue(content.contains("\"invalid_grant\""), "the mark is in the file");
      assertTrue(content.contains("\"refreshed\""), "the refresh note is in the file");
      assertFalse(content.contains(CANARY), content);
    });
  }

  @Test
  void should_keep_and_name_records_no_key_opens_when_opened_with_another_key(Vertx vertx, VertxTestContext ctx) {
    String mall = mall("foreign");
    String other = mall("other");
    LogCapture logs = LogCapture.capture();
    Future<String> data = FileTokenStore.open(vertx, file(), SEALED)
        .compose(a -> a.put(mall, tokens(mall, "a")).eventually(a::close))
        .compose(closed -> vertx.executeBlocking(() -> dataOf(mall)))
        .compose(before -> FileTokenStore.open(vertx, file(), TestKeys.sealed(TestKeys.KEY_B))
            .compose(b -> b.put(other, tokens(other, "b")).eventually(b::close))
            .compose(closed -> vertx.executeBlocking(() -> dataOf(mall)))
            .map(after -> before.equals(after) ? after : null))
        .andThen(done -> logs.close());
    expect(ctx, data, unchanged -> {
      assertNotNull(unchanged, "the record no key opens is written back as it was");
      assertTrue(logs.linesContaining(mall).stream().anyMatch(line -> line.contains("cannot be opened with")),
          "the open names the records no key opens");
      assertEquals(List.of(), logs.linesContaining(CANARY));
    });
  }

  private String dataOf(String mall) {
    return new JsonObject(text(file())).getJsonObject("malls").getJsonObject(mall).getString("data");
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
