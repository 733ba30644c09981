package io.mallgate.token.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.config.Secret;
import io.mallgate.token.TokenResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SealedTokenCodecTest {

  private static final String CANARY = "CANARY-7f3a";
  private static final Secret KEY_1 = key("k1", 1);
  private static final Secret KEY_2 = key("k2", 2);
  private static final Secret KEY_1_OTHER_BYTES = key("k1", 3);

  private final SealedTokenCodec codec = new SealedTokenCodec(List.of(KEY_1));

  @Test
  void should_return_the_same_tokens_when_sealed_and_opened() {
    String sealed = codec.encode("shop", tokens());
    assertEquals(tokens(), codec.decode("shop", sealed));
    assertTrue(sealed.matches("mg1\\.k1\\.[A-Za-z0-9_-]+"), "mg1.<key id>.<base64url, no padding>: " + sealed);
    assertTrue(codec.isCurrent(sealed));
  }

  @Test
  void should_never_show_a_token_when_tokens_are_sealed() {
    String sealed = codec.encode("shop", tokens());
    assertFalse(sealed.contains(CANARY));
    assertFalse(sealed.contains("shop"), "the mall is bound, not written");
    assertNotEquals(sealed, codec.encode("shop", tokens()), "a fresh IV every time");
  }

  @Test
  void should_refuse_to_open_when_the_record_was_sealed_for_another_mall() {
    String sealed = codec.encode("shop", tokens());
    assertRefused(() -> codec.decode("other", sealed), "other", "sealed for another mall");
  }

  @Test
  void should_refuse_to_open_when_any_byte_is_flipped() {
    String sealed = codec.encode("shop", tokens());
    String prefix = "mg1.k1.";
    byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));
    List<Integer> opened = new ArrayList<>();
    for (int i = 0; i < payload.length; i++) {
      byte[] tampered = payload.clone();
      tampered[i] ^= 0x01;
      String changed = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      try {
        codec.decode("shop", changed);
        opened.add(i);
      } catch (IllegalArgumentException refused) {
        assertFalse(refused.getMessage().contains(CANARY));
      }
    }
    assertEquals(List.of(), opened, "IV, ciphertext and tag are all authenticated");
  }

  @Test
  void should_name_the_key_id_when_the_record_is_sealed_under_an_unknown_key() {
    String sealed = new SealedTokenCodec(List.of(KEY_2)).encode("shop", tokens());
    assertRefused(() -> codec.decode("shop", sealed), "key 'k2'", "not among tokens.encryptionKeys");
  }

  @Test
  void should_refuse_to_open_when_the_key_id_matches_but_the_key_does_not() {
    String sealed = new SealedTokenCodec(List.of(KEY_1_OTHER_BYTES)).encode("shop", tokens());
    assertRefused(() -> codec.decode("shop", sealed), "key 'k1'", "do not open");
  }

  @Test
  void should_refuse_with_a_clear_message_when_the_stored_tokens_are_plain_json() {
    String plain = tokens().toJson().encode();
    assertFalse(codec.isCurrent(plain));
    assertRefused(() -> codec.decode("shop", plain), "shop", "are not sealed");
  }

  @Test
  void should_refuse_without_echoing_input_when_the_sealed_string_is_truncated_or_garbled() {
    String sealed = codec.encode("shop", tokens());
    assertRefused(() -> codec.decode("shop", sealed.substring(0, 20)), "shop", "truncated or corrupt");
    assertRefused(() -> codec.decode("shop", "mg1.k1.***" + CANARY), "shop", "truncated or corrupt");
    assertRefused(() -> codec.decode("shop", "mg1." + CANARY + "$.AAAA"), "malformed key id", "shop");
    assertRefused(() -> codec.decode("shop", null), "shop", "are not sealed");
  }

  @Test
  void should_seal_with_the_first_key_and_open_with_every_key_when_keys_rotate() {
    String underOld = codec.encode("shop", tokens());
    SealedTokenCodec rotating = new SealedTokenCodec(List.of(KEY_2, Secret.empty(), KEY_1));
    assertEquals("k2", rotating.primaryKeyId());
    assertEquals(tokens(), rotating.decode("shop", underOld));
    assertFalse(rotating.isCurrent(underOld), "sealed under an older key: re-seal it");
    String underNew = rotating.encode("shop", tokens());
    assertTrue(underNew.startsWith("mg1.k2."));
    assertEquals(tokens(), new SealedTokenCodec(List.of(KEY_2)).decode("shop", underNew));
  }

  @Test
  void should_refuse_keys_without_showing_them_when_they_are_missing_malformed_or_repeated() {
    String material = Base64.getEncoder().encodeToString(new byte[16]);
    assertKeysRefused(List.of(), "no encryption key");
    assertKeysRefused(List.of(Secret.empty()), "no encryption key");
    assertKeysRefused(List.of(Secret.of(material)), "key #1");
    assertKeysRefused(List.of(KEY_1, Secret.of("short:" + material)), "key 'short'");
    assertKeysRefused(List.of(KEY_1, Secret.of("bad:" + CANARY + "!!")), "key 'bad'");
    assertKeysRefused(List.of(KEY_1, KEY_1_OTHER_BYTES), "'k1' is listed twice");
  }

  private static void assertKeysRefused(List<Secret> keys, String expected) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new SealedTokenCodec(keys));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    assertFalse(refused.getMessage().contains(CANARY), refused.getMessage());
    keys.forEach(key -> {
      String bytes = key.reveal().substring(key.reveal().indexOf(':') + 1);
      assertFalse(!bytes.isEmpty() && refused.getMessage().contains(bytes), refused.getMessage());
    });
  }

  private static void assertRefused(Executable decode, String... expected) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, decode);
    for (String part : expected) {
      assertTrue(refused.getMessage().contains(part), refused.getMessage());
    }
    assertFalse(refused.getMessage().contains(CANARY), refused.getMessage());
    assertEquals(null, refused.getCause(), "no cause that might quote content");
  }

  private static Secret key(String id, int fill) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) fill);
    return Secret.of(id + ":" + Base64.getEncoder().encodeToString(bytes));
  }

  private static TokenResponse tokens() {
    return TokenResponse.fromJson(new JsonObject()
        .put("access_token", "atk-" + CANARY)
        .put("expires_at", "2021-03-01T14:00:00.000")
        .put("refresh_token", "rtk-" + CANARY)
        .put("refresh_token_expires_at", "2021-03-15T12:00:00.000")
        .put("mall_id", "shop")
        .put("scopes", new JsonArray().add("mall.read_order")));
  }
}
