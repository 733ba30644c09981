package io.mallgate.token;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract again, with tokens stored in clear ({@code tokens.encryption: none}). */
class PlainFileTokenStoreTest extends TokenStoreLifecycleContract {

  @TempDir
  Path dir;

  @Override
  protected TokenCodec codec() {
    return new PlainTokenCodec();
  }

  @Override
  protected Future<FileTokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return FileTokenStore.open(vertx, dir.resolve("tokens.json"), codec);
  }
}
