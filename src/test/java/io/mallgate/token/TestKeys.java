package io.mallgate.token;

import io.mallgate.config.Secret;
import io.mallgate.token.crypto.SealedTokenCodec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Fixed AES-256 keys for the store tests, and codecs over them. */
final class TestKeys {

  static final Secret KEY_A = key("keyA", (byte) 0x0a);
  static final Secret KEY_B = key("keyB", (byte) 0x0b);

  private TestKeys() {
  }

  /** A sealing codec over {@code keys}, the first one primary. */
  static TokenCodec sealed(Secret... keys) {
    return new SealedTokenCodec(List.of(keys));
  }

  private static Secret key(String id, byte fill) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, fill);
    return Secret.of(id + ":" + Base64.getEncoder().encodeToString(bytes));
  }
}
