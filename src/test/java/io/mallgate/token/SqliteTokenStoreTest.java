package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mallgate.store.EmbeddedStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded (SQLite) store with sealed tokens, plus what is particular to the file. */
class SqliteTokenStoreTest extends TokenStoreLifecycleContract {

  @TempDir
  Path dir;

  /** In a directory that does not exist yet: the store creates it. */
  private Path file() {
    return dir.resolve("data").resolve("mallgate.db");
  }

  @Override
  protected Future<TokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return EmbeddedStores.tokenStore(vertx, file(), codec);
  }

  @Test
  void should_keep_records_when_closed_and_reopened(VertxTestContext ctx) {
    String first = mall("first");
    String second = mall("second");
    Future<List<Object>> reopened = store.put(first, tokens(first, "one"))
        .compose(put -> store.compareAndSet(first, put.version(), tokens(first, "two")))
        .compose(swapped -> store.put(second, minimalTokens("other"))
            .compose(other -> store.close())
            .compose(closed -> EmbeddedStores.tokenStore(vertx, file(), codec()))
            .compose(again -> {
              store = again;
              return again.get(first).compose(read -> again.malls().map(malls -> nullable(swapped, read, malls)));
            }));
    expect(ctx, reopened, list -> {
      assertEquals(list.get(0), list.get(1));
      assertEquals(Stream.of(first, second).sorted().toList(), list.get(2));
    });
  }

  @Test
  void should_keep_the_database_owner_only_in_an_owner_only_folder_when_it_is_created(VertxTestContext ctx) {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    String mall = mall("mode");
    Future<List<String>> modes = store.put(mall, tokens(mall, "x"))
        .compose(put -> vertx.executeBlocking(() -> List.of(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file())),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())))));
    expect(ctx, modes, list -> assertEquals(List.of("rw-------", "rwx------"), list));
  }

  @Test
  void should_keep_no_token_in_clear_on_disk_when_tokens_are_sealed(VertxTestContext ctx) {
    String mall = mall("sealed");
    Future<String> onDisk = store.put(mall, tokens(mall, "secret"))
        .compose(put -> store.close())
        .compose(closed -> vertx.executeBlocking(() -> {
          StringBuilder all = new StringBuilder();
          try (Stream<Path> files = Files.list(file().getParent())) {
            for (Path f : files.toList()) {
              all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
          }
          return all.toString();
        }))
        .compose(text -> EmbeddedStores.tokenStore(vertx, file(), codec()).map(again -> {
          store = again;
          return text;
        }));
    expect(ctx, onDisk, text -> {
      assertTrue(text.contains(mall), "the mall id is on disk");
      assertFalse(text.contains(CANARY), "a token is on disk in clear");
    });
  }

  @Test
  void should_let_exactly_one_of_many_racing_compare_and_sets_win_when_they_expect_the_same_version(
      VertxTestContext ctx) {
    String mall = mall("race");
    Future<Long> winners = store.put(mall, tokens(mall, "start"))
        .compose(put -> Future.all(IntStream.range(0, 50)
                .mapToObj(i -> store.compareAndSet(mall, put.version(), tokens(mall, "w" + i))).toList())
            .map(all -> all.<TokenRecord>list().stream().filter(r -> r != null).count()));
    expect(ctx, winners, count -> assertEquals(1L, count));
  }
}
