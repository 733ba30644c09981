package io.mallgate.bench;

import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import io.mallgate.store.EmbeddedStores;
import io.mallgate.token.InstallHints;
import io.mallgate.token.LocalRefreshLock;
import io.mallgate.token.PlainTokenCodec;
import io.mallgate.token.RefreshListener;
import io.mallgate.token.TokenEndpoint;
import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenRefresher;
import io.mallgate.token.TokenResponse;
import io.mallgate.token.TokenService;
import io.mallgate.token.TokenStore;
import io.mallgate.token.TokenUpdates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TokenService#forRequest} when the mall's record is in the service's cache: what every request costs once a
 * mall is warm. The service is built as the gateway builds it for one instance without Redis (the embedded file
 * store in a temporary directory, the local lock and updates, a real refresher whose token endpoint is never
 * called), with {@code tokens.cacheTtl: 1h} so that no entry ages out during a run, and tokens that expire in two
 * hours, as Cafe24's do. {@code malls} is how many malls are installed; each call asks for the next one in turn, so
 * with 10,000 the lookups walk a large map instead of one hot entry.
 *
 * <p>A hit must not touch the store: the store is wrapped to count reads, and an iteration that saw one fails (the
 * figure would be of the miss path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenLookupBenchmark {

  @Param({"1", "10000"})
  public int malls;

  private Vertx vertx;
  private Path dir;
  private CountingStore store;
  private TokenService tokens;
  private String[] ids;

  /** Each benchmark thread walks the malls from its own cursor. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("mallgate-jmh");
    GatewayConfig config = ConfigLoader.fromYaml("""
        tokens:
          cacheTtl: 1h
          encryption: none
        """, Map.of("CAFE24_CLIENT_ID", "bench-client", "CAFE24_CLIENT_SECRET", "bench-secret"));
    store = new CountingStore(await(EmbeddedStores.tokenStore(vertx, dir.resolve("mallgate.db"), new PlainTokenCodec())));
    InstallHints hints = new InstallHints(mall -> "http://localhost:8080/oauth/install?mall_id=" + mall);
    TokenUpdates updates = TokenUpdates.local();
    GatewayConfig.Tokens timing = config.tokens();
    TokenEndpoint endpoint = new TokenEndpoint(WebClient.create(vertx), config.cafe24(),
        config.oauth().exchangeTimeout());
    TokenRefresher refresher = new TokenRefresher(vertx, store, new LocalRefreshLock(), endpoint, updates,
        new RefreshListener() { }, Clock.systemUTC(), timing.refreshWait(), hints);
    tokens = new TokenService(store, refresher, updates, hints, Clock.systemUTC(), timing.cacheTtl(),
        timing.refreshBefore(), timing.refreshWait(), timing.minRefreshInterval());
    ids = new String[malls];
    List<Future<TokenRecord>> installs = new ArrayList<>();
    for (int i = 0; i < malls; i++) {
      ids[i] = String.format("shop%05d", i);
      installs.add(tokens.install(ids[i], tokens(ids[i], i)));
    }
    await(Future.all(installs));
    for (String id : ids) {
      if (tokens.forRequest(id).result() == null) {
        throw new IllegalStateException("mall " + id + " is not served from the cache");
      }
    }
  }

  @Setup(Level.Iteration)
  public void resetReads() {
    store.reads.set(0);
  }

  @TearDown(Level.Iteration)
  public void checkNoReads() {
    if (store.reads.get() != 0) {
      throw new IllegalStateException(store.reads.get() + " store reads: the benchmark left the cached path");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    await(store.close());
    await(vertx.close());
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** The completed Future's record; a Future that is not complete yet (a miss) gives null and fails the check. */
  @Benchmark
  public TokenRecord cacheHit(Cursor cursor) {
    String mall = ids[cursor.next];
    if (++cursor.next == ids.length) {
      cursor.next = 0;
    }
    return tokens.forRequest(mall).result();
  }

  private static TokenResponse tokens(String mall, int i) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new TokenResponse("bench" + mall + "access" + i, "bench" + mall + "refresh" + i,
        now.plus(2, ChronoUnit.HOURS), now.plus(14, ChronoUnit.DAYS), now, "bench-client", mall, "bench-user",
        List.of("mall.read_product", "mall.read_order"), "1", "bearer");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** The embedded store as is, counting reads (a hit makes none). */
  private static final class CountingStore implements TokenStore {
    private final TokenStore delegate;
    final AtomicLong reads = new AtomicLong();

    CountingStore(TokenStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Future<TokenRecord> get(String mall) {
      reads.incrementAndGet();
      return delegate.get(mall);
    }

    @Override
    public Future<TokenRecord> put(String mall, TokenResponse tokens) {
      return delegate.put(mall, tokens);
    }

    @Override
    public Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens) {
      return delegate.compareAndSet(mall, expectedVersion, tokens);
    }

    @Override
    public Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
        TokenRecord.Reauthorization mark) {
      return delegate.markReauthorizationRequired(mall, expectedVersion, mark);
    }

    @Override
    public Future<TokenRecord> clearReauthorization(String mall) {
      return delegate.clearReauthorization(mall);
    }

    @Override
    public Future<TokenRecord> clearReauthorization(String mall, long expectedVersion) {
      return delegate.clearReauthorization(mall, expectedVersion);
    }

    @Override
    public Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt) {
      return delegate.recordRefresh(mall, attempt);
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
  }
}
