package io.mallgate.store;

import io.mallgate.token.TokenCodec;
import io.mallgate.token.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Test access to the embedded store's parts, for tests in other packages (the token store contract). */
public final class EmbeddedStores {

  private EmbeddedStores() {
  }

  /** A SQLite token store on its own database at {@code file}; closing the store closes the database. */
  public static Future<TokenStore> tokenStore(Vertx vertx, Path file, TokenCodec codec) {
    return Sqlite.open(vertx, file).map(db -> new SqliteTokenStore(db, codec, true));
  }
}
