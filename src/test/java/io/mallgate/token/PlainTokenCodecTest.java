package io.mallgate.token;

import static io.mallgate.token.TokenStoreContract.CANARY;
import static io.mallgate.token.TokenStoreContract.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PlainTokenCodecTest {

  private final PlainTokenCodec codec = new PlainTokenCodec();

  @Test
  void should_write_cafe24_json_and_read_it_back_when_tokens_are_stored_in_clear() {
    String stored = codec.encode("shop", tokens("shop", "plain"));
    assertEquals(tokens("shop", "plain").toJson(), new JsonObject(stored));
    assertEquals(tokens("shop", "plain"), codec.decode("shop", stored));
    assertTrue(codec.isCurrent(stored));
  }

  @Test
  void should_refuse_without_quoting_content_when_the_stored_string_is_not_token_json() {
    String truncated = "{\"access_token\":\"" + CANARY;
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> codec.decode("shop", truncated));
    assertFalse(broken.getMessage().contains(CANARY), broken.getMessage());
    assertTrue(broken.getMessage().contains("shop"));
    String sealed = TestKeys.sealed(TestKeys.KEY_A).encode("shop", tokens("shop", "x"));
    assertFalse(codec.isCurrent(sealed));
    IllegalArgumentException notPlain = assertThrows(IllegalArgumentException.class,
        () -> codec.decode("shop", sealed));
    assertTrue(notPlain.getMessage().contains("not plain JSON"), notPlain.getMessage());
  }
}
