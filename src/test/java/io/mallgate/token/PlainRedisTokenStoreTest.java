package io.mallgate.token;

import io.mallgate.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The contract again, with tokens stored in clear ({@code tokens.encryption: none}). */
class PlainRedisTokenStoreTest extends TokenStoreLifecycleContract {

  @Override
  protected TokenCodec codec() {
    return new PlainTokenCodec();
  }

  @Override
  protected Future<RedisTokenStore> openStore(Vertx vertx, TokenCodec codec) {
    return Future.succeededFuture(
        new RedisTokenStore(RedisTokenStoreTest.commands(vertx, RedisServer.shared().url()), codec));
  }
}
