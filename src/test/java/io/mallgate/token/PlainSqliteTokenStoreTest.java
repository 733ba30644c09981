package io.mallgate.token;

import io.mallgate.store.EmbeddedStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract again on the embedded (SQLite) store, with tokens stored in clear ({@code tokens.encryption: none}). */
class PlainSqliteTokenStoreTest extends TokenStoreLifecycleContract {

  @TempDir
  Path dir;

  @Override
  protected TokenCodec codec() {
    return new PlainTokenCodec();
  }

  @Override
  protected Future<TokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return EmbeddedStores.tokenStore(vertx, dir.resolve("mallgate.db"), codec);
  }
}
