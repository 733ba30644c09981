package io.mallgate.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import io.mallgate.config.Secret;
import io.mallgate.webhook.WebhookVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known-answer vectors computed outside Java, with {@code printf '%s' "$BODY" | openssl dgst -sha256 -hmac KEY
 * -binary | base64} (and {@code -hex}), pasted as constants.
 */
class WebhookVerifierTest {

  static final String KEY = "webhook-vector-key";
  static final String ORDER = "{\"event_no\":90023,\"resource\":{\"mall_id\":\"vectors\",\"event_shop_no\":\"1\","
      + "\"order_id\":\"20240601-0000001\"}}";
  static final String ORDER_BASE64 = "O1vmPCBFShFBbCq6yQ+a603pK9lcHBmmZtZToD444ko=";
  static final String ORDER_HEX = "3b5be63c20454a11416c2abac90f9aeb4de92bd95c1c19a666d653a03e38e24a";
  /** 89 bytes of UTF-8 with Korean text. */
  static final String KOREAN = "{\"event_no\":90001,\"resource\":{\"mall_id\":\"vectors\",\"product_name\":\"한글 상품 이름\"}}";
  static final String KOREAN_BASE64 = "qystFmnwr23bBGS/pyIdKzoiP+D2HqZGjOT2Y1k1MA0=";
  static final String KOREAN_HEX = "ab2b2d1669f0af6ddb0464bfa7221d2b3a223fe0f61ea6468ce4f6635935300d";
  /** ORDER signed with {@code other-rotated-key}. */
  static final String ORDER_OTHER_KEY_BASE64 = "cJusc56CQXtL8duO9aupdeBk+15FCkQYP3YJboT4UY4=";

  static WebhookVerifier verifier(String encoding, List<String> schemes, List<String> secrets, List<String> keys) {
    return new WebhookVerifier(new GatewayConfig.WebhookRoute(schemes, "X-Cafe24-Hmac-Sha256", encoding,
        secrets.stream().map(Secret::of).toList(), keys.stream().map(Secret::of).toList()));
  }

  static WebhookVerifier hmac(String encoding) {
    return verifier(encoding, List.of("hmac"), List.of(KEY), List.of());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void should_verify_when_the_base64_signature_matches_the_openssl_vector() {
    assertEquals(Verdict.VERIFIED, hmac("base64").verify(ORDER_BASE64, null, utf8(ORDER)));
  }

  @Test
  void should_verify_when_the_hex_signature_matches_the_openssl_vector() {
    assertEquals(Verdict.VERIFIED, hmac("hex").verify(ORDER_HEX, null, utf8(ORDER)));
    assertEquals(Verdict.VERIFIED, hmac("hex").verify(ORDER_HEX.toUpperCase(), null, utf8(ORDER)));
  }

  @Test
  void should_verify_when_the_body_is_multibyte_utf8() {
    assertEquals(89, utf8(KOREAN).length);
    assertEquals(Verdict.VERIFIED, hmac("base64").verify(KOREAN_BASE64, null, utf8(KOREAN)));
    assertEquals(Verdict.VERIFIED, hmac("hex").verify(KOREAN_HEX, null, utf8(KOREAN)));
  }

  @Test
  void should_refuse_when_one_byte_of_the_body_changes() {
    byte[] body = utf8(ORDER);
    body[body.length - 3] ^= 1;
    assertEquals(Verdict.WRONG_SIGNATURE, hmac("base64").verify(ORDER_BASE64, null, body));
  }

  @Test
  void should_refuse_when_the_json_is_reserialised_with_other_whitespace() {
    String spaced = ORDER.replace(":", ": ").replace(",", ", ");
    assertEquals(Verdict.WRONG_SIGNATURE, hmac("base64").verify(ORDER_BASE64, null, utf8(spaced)));
  }

  @Test
  void should_refuse_when_the_signature_is_missing() {
    assertEquals(Verdict.MISSING_SIGNATURE, hmac("base64").verify(null, null, utf8(ORDER)));
    assertEquals(Verdict.MISSING_SIGNATURE, hmac("base64").verify("", null, utf8(ORDER)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "O1vmPCBFShFBbCq6yQ+a603pK9lcHBmmZtZToD444k==", // 31 bytes
      "O1vmPCBFShFBbCq6yQ+a603pK9lcHBmmZtZToD444koA", // 33 bytes
      "O1vmPCBFShFBbCq6yQ+a603pK9lcHBmmZtZToD444ko=!", // not base64
      "O1vmPCBFShFBbCq6 yQ+a603pK9lcHBmmZtZToD444ko=", // whitespace inside
      "3b5be63c20454a11416c2abac90f9aeb4de92bd95c1c19a666d653a03e38e24a", // hex where base64 is configured
      "=",
  })
  void should_refuse_without_throwing_when_a_base64_signature_is_malformed(String signature) {
    assertEquals(Verdict.MALFORMED_SIGNATURE, hmac("base64").verify(signature, null, utf8(ORDER)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "3b5be63c20454a11416c2abac90f9aeb4de92bd95c1c19a666d653a03e38e2", // 31 bytes
      "3b5be63c20454a11416c2abac90f9aeb4de92bd95c1c19a666d653a03e38e24a0", // odd length
      "3b5be63c20454a11416c2abac90f9aeb4de92bd95c1c19a666d653a03e38e24g", // not hex
      "O1vmPCBFShFBbCq6yQ+a603pK9lcHBmmZtZToD444ko=", // base64 where hex is configured
  })
  void should_refuse_without_throwing_when_a_hex_signature_is_malformed(String signature) {
    assertEquals(Verdict.MALFORMED_SIGNATURE, hmac("hex").verify(signature, null, utf8(ORDER)));
  }

  @Test
  void should_verify_with_any_configured_secret_when_secrets_rotate() {
    WebhookVerifier rotating = verifier("base64", List.of("hmac"), List.of("other-rotated-key", KEY), List.of());
    assertEquals(Verdict.VERIFIED, rotating.verify(ORDER_BASE64, null, utf8(ORDER)));
    assertEquals(Verdict.VERIFIED, rotating.verify(ORDER_OTHER_KEY_BASE64, null, utf8(ORDER)));
    assertEquals(Verdict.WRONG_SIGNATURE, hmac("base64").verify(ORDER_OTHER_KEY_BASE64, null, utf8(ORDER)));
  }

  @Test
  void should_check_the_api_key_when_that_scheme_is_configured() {
    WebhookVerifier keyed = verifier("base64", List.of("api-key"), List.of(), List.of("new-key", "old-key"));
    assertEquals(Verdict.VERIFIED, keyed.verify(null, "old-key", utf8(ORDER)));
    assertEquals(Verdict.VERIFIED, keyed.verify(null, "new-key", utf8(ORDER)));
    assertEquals(Verdict.WRONG_API_KEY, keyed.verify(null, "new-ke", utf8(ORDER)));
    assertEquals(Verdict.MISSING_API_KEY, keyed.verify(ORDER_BASE64, null, utf8(ORDER)));
  }

  @Test
  void should_require_both_when_both_schemes_are_configured() {
    WebhookVerifier both = verifier("base64", List.of("hmac", "api-key"), List.of(KEY), List.of("the-key"));
    assertEquals(Verdict.VERIFIED, both.verify(ORDER_BASE64, "the-key", utf8(ORDER)));
    assertEquals(Verdict.MISSING_SIGNATURE, both.verify(null, "the-key", utf8(ORDER)));
    assertEquals(Verdict.WRONG_API_KEY, both.verify(ORDER_BASE64, "wrong", utf8(ORDER)));
  }
}
