package io.mallgate.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

  @Test
  void should_tag_keys_with_the_mall_when_they_belong_to_one() {
    assertEquals("mallgate:{shop-1}:token", RedisKeys.token("shop-1"));
    assertEquals("mallgate:{shop-1}:lock", RedisKeys.lock("shop-1"));
    assertEquals("mallgate:{shop-1}:apps:29000000", RedisKeys.appUsage("shop-1", 29_000_000));
  }

  @Test
  void should_build_untagged_keys_when_they_belong_to_no_mall() {
    assertEquals("mallgate:malls", RedisKeys.mallIndex());
    assertEquals("mallgate:oauth-state:abc123", RedisKeys.oauthStateNonce("abc123"));
  }

  @Test
  void should_refuse_when_a_mall_id_would_break_the_hash_tag() {
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.token("a}b"));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.lock(""));
    assertThrows(IllegalArgumentException.class, () -> RedisKeys.oauthStateNonce(null));
  }
}
