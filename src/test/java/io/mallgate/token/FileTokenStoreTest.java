package io.mallgate.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mallgate.error.ErrorCode;
import io.mallgate.error.GatewayFailure;
import io.mallgate.testsupport.LogCapture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract with sealed tokens, plus what is particular to the file: durability, coalescing, corruption. */
class FileTokenStoreTest extends TokenStoreLifecycleContract {

  @TempDir
  Path dir;

  /** In a directory that does not exist yet: the store creates it. */
  private Path file() {
    return dir.resolve("data").resolve("tokens.json");
  }

  @Override
  protected Future<FileTokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return FileTokenStore.open(vertx, file(), codec);
  }

  @Test
  void should_keep_records_when_closed_and_reopened(VertxTestContext ctx) {
    String first = mall("first");
    String second = mall("second");
    Future<List<Object>> reopened = store.put(first, tokens(first, "one"))
        .compose(put -> store.compareAndSet(first, put.version(), tokens(first, "two")))
        .compose(swapped -> store.put(second, minimalTokens("other"))
            .compose(other -> store.close())
            .compose(closed -> FileTokenStore.open(vertx, file(), codec()))
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
  void should_make_the_file_owner_only_when_it_is_written(VertxTestContext ctx) {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    String mall = mall("mode");
    Future<Set<PosixFilePermission>> mode = store.put(mall, tokens(mall, "x"))
        .compose(put -> vertx.executeBlocking(() -> Files.getPosixFilePermissions(file())));
    expect(ctx, mode, permissions -> assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), permissions));
  }

  @Test
  void should_leave_a_complete_file_when_each_write_completes(VertxTestContext ctx) {
    String a = mall("a");
    String b = mall("b");
    Future<Map<String, Long>> last = store.put(a, tokens(a, "1"))
        .compose(put -> onDisk(Map.of(a, 1L)))
        .compose(ok -> store.put(b, tokens(b, "1")))
        .compose(put -> onDisk(Map.of(a, 1L, b, 1L)))
        .compose(ok -> store.compareAndSet(a, 1, tokens(a, "2")))
        .compose(swapped -> onDisk(Map.of(a, 2L, b, 1L)))
        .compose(ok -> store.delete(b))
        .compose(deleted -> onDisk(Map.of(a, 2L)));
    expect(ctx, last, versions -> assertEquals(Map.of(a, 2L), versions));
  }

  @Test
  void should_coalesce_writes_and_confirm_only_durable_puts_when_two_hundred_race(VertxTestContext ctx) {
    Path busy = dir.resolve("busy.json");
    List<String> malls = IntStream.range(0, 200).mapToObj(i -> mall("burst" + i)).toList();
    Context context = vertx.getOrCreateContext();
    // Opened and driven from one context, so all 200 puts arrive while the first write is still in flight.
    context.runOnContext(go -> FileTokenStore.open(vertx, busy, codec()).onComplete(ctx.succeeding(burst -> {
      int before = burst.writes();
      Future.all(malls.stream().map(mall -> burst.put(mall, tokens(mall, "b"))
              .andThen(ctx.succeeding(put -> ctx.verify(() -> assertOnDisk(busy, mall))))).toList())
          .compose(all -> burst.close().map(all))
          .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
            int writes = burst.writes() - before;
            assertTrue(writes < 10, writes + " writes for 200 puts");
            assertEquals(200, readFile(busy).size());
            ctx.completeNow();
          })));
    })));
  }

  @Test
  void should_move_a_corrupt_file_aside_and_start_empty_when_the_file_is_corrupt(VertxTestContext ctx)
      throws IOException {
    Path broken = dir.resolve("broken.json");
    byte[] original = ("{\"format\":1,\"malls\":{\"m\":{\"v\":1,\"tokens\":{\"access_token\":\"" + CANARY)
        .getBytes(StandardCharsets.UTF_8);
    Files.write(broken, original);
    LogCapture logs = LogCapture.capture();
    Future<List<String>> malls = FileTokenStore.open(vertx, broken, codec())
        .compose(opened -> opened.malls().eventually(opened::close))
        .andThen(done -> logs.close());
    expect(ctx, malls, listed -> {
      assertEquals(List.of(), listed);
      assertEquals(List.of(), logs.linesContaining(CANARY));
      assertFalse(Files.exists(broken));
      List<Path> aside = listDir(dir, p -> p.getFileName().toString().startsWith("broken.json.corrupt-"));
      assertEquals(1, aside.size(), "moved aside once: " + aside);
      assertTrue(aside.get(0).getFileName().toString().matches("broken\\.json\\.corrupt-\\d{8}-\\d{6}"));
      assertArrayEquals(original, read(aside.get(0)));
    });
  }

  @Test
  void should_fail_the_change_and_keep_the_disk_state_when_a_write_fails(VertxTestContext ctx) {
    String mall = mall("fail");
    Future<TokenRecord> failed = store.put(mall, tokens(mall, "kept"))
        .compose(put -> vertx.executeBlocking(() -> blockTheFile(true)))
        .compose(blocked -> store.put(mall, tokens(mall, "lost")));
    failed.onComplete(ctx.failing(cause -> ctx.verify(() -> {
      assertEquals(ErrorCode.TOKEN_STORE_UNAVAILABLE, ((GatewayFailure) cause).code());
      Future<List<TokenRecord>> after = store.get(mall)
          .compose(read -> vertx.executeBlocking(() -> blockTheFile(false))
              .compose(unblocked -> store.put(mall, tokens(mall, "next")))
              .map(next -> List.of(read, next)));
      expect(ctx, after, list -> {
        assertEquals(1, list.get(0).version(), "memory rolled back to what the disk holds");
        assertEquals(tokens(mall, "kept"), list.get(0).tokens());
        assertEquals(2, list.get(1).version());
        assertEquals(Map.of(mall, 2L), versions(readFile(file())));
      });
    })));
  }

  @Test
  void should_finish_the_pending_write_before_close_completes(VertxTestContext ctx) {
    String mall = mall("closing");
    Future<TokenRecord> pending = store.put(mall, tokens(mall, "late"));
    Future<Map<String, Long>> afterClose = store.close()
        .compose(closed -> vertx.executeBlocking(() -> versions(readFile(file()))));
    expect(ctx, afterClose, versions -> {
      assertTrue(pending.succeeded(), "the put was confirmed before close completed");
      assertEquals(Map.of(mall, 1L), versions);
    });
  }

  @Test
  void should_refuse_to_open_and_leave_the_file_alone_when_its_format_is_newer(VertxTestContext ctx)
      throws IOException {
    Path newer = dir.resolve("newer.json");
    byte[] original = "{\"format\":3,\"malls\":{}}".getBytes(StandardCharsets.UTF_8);
    Files.write(newer, original);
    FileTokenStore.open(vertx, newer, codec()).onComplete(ctx.failing(cause -> ctx.verify(() -> {
      assertEquals(ErrorCode.TOKEN_STORE_UNAVAILABLE, ((GatewayFailure) cause).code());
      assertArrayEquals(original, read(newer));
      assertEquals(List.of(newer), listDir(dir, p -> p.getFileName().toString().startsWith("newer")));
      ctx.completeNow();
    })));
  }

  // --- helpers (blocking file reads: test code only) ---

  /** A non-empty directory where the file should be makes the atomic rename fail, even for root. */
  private Void blockTheFile(boolean block) throws IOException {
    Path blocker = file().resolve("blocker");
    if (block) {
      Files.delete(file());
      Files.createDirectories(file());
      Files.writeString(blocker, "x");
    } else {
      Files.delete(blocker);
      Files.delete(file());
    }
    return null;
  }

  private Future<Map<String, Long>> onDisk(Map<String, Long> expected) {
    return vertx.executeBlocking(() -> {
      Map<String, Long> versions = versions(readFile(file()));
      assertEquals(expected, versions);
      assertEquals(List.of(file()), listDir(file().getParent(), p -> true), "no temporary file is left behind");
      return versions;
    });
  }

  private static Map<String, Long> versions(Map<String, StoredRecord> records) {
    return records.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().version()));
  }

  private Map<String, StoredRecord> readFile(Path file) {
    return TokenFile.decode(read(file), codec());
  }

  private void assertOnDisk(Path file, String mall) {
    assertTrue(new String(read(file), StandardCharsets.UTF_8).contains("\"" + mall + "\""),
        mall + " confirmed before it was on disk");
  }

  private static List<Path> listDir(Path parent, Predicate<Path> filter) {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(filter).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
