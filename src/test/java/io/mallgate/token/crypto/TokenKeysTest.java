package io.mallgate.token.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.token.PlainTokenCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenKeysTest {

  private static final Clock NEW_YEAR_IN_SEOUL = Clock.fixed(Instant.parse("2026-12-31T16:00:00Z"), ZoneOffset.UTC);

  @Test
  void should_make_a_dated_id_and_32_random_bytes_when_a_key_is_generated() {
    String key = TokenKeys.generate(NEW_YEAR_IN_SEOUL);
    assertTrue(key.startsWith("k20261231:"), "dated in UTC: " + key);
    assertEquals(32, Base64.getDecoder().decode(key.substring(key.indexOf(':') + 1)).length);
    assertNotEquals(key, TokenKeys.generate(NEW_YEAR_IN_SEOUL));
  }

  @Test
  void should_seal_with_a_generated_key_when_it_is_configured() {
    SealedTokenCodec codec = new SealedTokenCodec(List.of(Secret.of(TokenKeys.generate(NEW_YEAR_IN_SEOUL))));
    assertEquals("k20261231", codec.primaryKeyId());
  }

  @Test
  void should_pick_the_codec_the_configuration_names_when_codecs_are_built() {
    List<Secret> keys = List.of(Secret.of(TokenKeys.generate(NEW_YEAR_IN_SEOUL)));
    assertTrue(TokenCodecs.from(tokens("aes-gcm", keys)) instanceof SealedTokenCodec);
    assertTrue(TokenCodecs.from(tokens("none", List.of())) instanceof PlainTokenCodec);
  }

  private static GatewayConfig.Tokens tokens(String encryption, List<Secret> keys) {
    Duration any = Duration.ofSeconds(30);
    return new GatewayConfig.Tokens(any, any, any, any, any, encryption, keys);
  }
}
