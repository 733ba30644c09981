package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Which 401s a refresh can cure, over Cafe24's own wordings (CAFE24.md). */
class UnauthorizedBodyTest {

  private static Buffer envelope(String message) {
    return Buffer.buffer("{\"error\":{\"code\":401,\"message\":\"" + message + "\",\"more_info\":{}}}");
  }

  @Test
  void should_refresh_when_cafe24_says_the_access_token_expired_or_is_unknown() {
    assertTrue(UnauthorizedBody.namesAccessToken(envelope("access_token time expired. (invalid_token)"), null));
    assertTrue(UnauthorizedBody.namesAccessToken(envelope("Invalid access_token"), null));
    assertTrue(UnauthorizedBody.namesAccessToken(Buffer.buffer("{\"error\":\"invalid_token\"}"), null));
    assertTrue(UnauthorizedBody.namesAccessToken(null, "Bearer error=\"invalid_token\""));
  }

  @Test
  void should_pass_through_when_the_401_is_not_about_the_access_token() {
    assertFalse(UnauthorizedBody.namesAccessToken(envelope("Invalid client_id"), null));
    assertFalse(UnauthorizedBody.namesAccessToken(
        envelope("No authentication scheme has been specified for this request."), null));
    assertFalse(UnauthorizedBody.namesAccessToken(envelope("[client_id] is a required parameter."), null));
  }

  @Test
  void should_pass_through_when_the_body_cannot_be_read() {
    assertFalse(UnauthorizedBody.namesAccessToken(null, null), "too big to read");
    assertFalse(UnauthorizedBody.namesAccessToken(Buffer.buffer(), null));
    assertFalse(UnauthorizedBody.namesAccessToken(Buffer.buffer("<html>access_token</html>"), null), "not JSON");
    assertFalse(UnauthorizedBody.namesAccessToken(Buffer.buffer("[1,2]"), null));
    assertFalse(UnauthorizedBody.namesAccessToken(Buffer.buffer("{\"error\":{\"message\":7}}"), "Basic realm=x"));
  }
}
