package io.mallgate.cafe24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mallgate.token.TokenRecord;
import io.mallgate.token.TokenResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Cafe24TimeTest {

  @Test
  void should_read_naive_timestamp_as_korea_time_when_cafe24_writes_no_zone() {
    // 14:00 in Seoul is 05:00 UTC. Read as UTC it would be 14:00Z: nine hours too late.
    assertEquals(Instant.parse("2021-03-01T05:00:00Z"), Cafe24Time.parse("2021-03-01T14:00:00.000"));
  }

  @Test
  void should_consider_token_expired_when_korea_time_has_passed_even_if_utc_reading_has_not() {
    TokenResponse tokens = TokenResponse.fromJson(new JsonObject()
        .put("access_token", "a".repeat(22)).put("refresh_token", "r".repeat(22))
        .put("expires_at", "2021-03-01T14:00:00.000").put("refresh_token_expires_at", "2021-03-15T12:00:00.000"));
    Instant sixUtc = Instant.parse("2021-03-01T06:00:00Z"); // 15:00 in Seoul: the token died an hour ago
    TokenRecord record = new TokenRecord("demo", tokens, 1, sixUtc);
    assertFalse(record.accessTokenValid(sixUtc, java.time.Duration.ZERO));
    assertTrue(record.accessTokenValid(Instant.parse("2021-03-01T04:00:00Z"), java.time.Duration.ZERO));
  }

  @Test
  void should_write_timestamps_back_in_cafe24_form() {
    assertEquals("2021-03-01T14:00:00.000", Cafe24Time.format(Instant.parse("2021-03-01T05:00:00Z")));
  }

  @Test
  void should_honour_offset_when_timestamp_carries_one() {
    assertEquals(Instant.parse("2021-03-01T14:00:00Z"), Cafe24Time.parse("2021-03-01T14:00:00Z"));
  }

  @Test
  void should_tolerate_missing_and_unknown_fields_when_reading_a_token_response() {
    TokenResponse tokens = TokenResponse.fromJson(new JsonObject()
        .put("access_token", "a".repeat(22)).put("refresh_token", "r".repeat(22))
        .put("expires_at", "2021-03-01T14:00:00.000").put("refresh_token_expires_at", "2021-03-15T12:00:00.000")
        .put("something_new", 42));
    assertEquals(null, tokens.shopNo());
    assertEquals(0, tokens.scopes().size());
  }

  @Test
  void should_name_the_field_but_never_the_token_when_a_response_is_incomplete() {
    String canary = "CANARY-ACCESS-TOKEN-x1";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenResponse.fromJson(
        new JsonObject().put("access_token", canary).put("expires_at", "soon")));
    assertTrue(e.getMessage().contains("refresh_token") || e.getMessage().contains("expires_at"), e.getMessage());
    assertFalse(e.getMessage().contains(canary));
    assertFalse(TokenResponse.fromJson(new JsonObject().put("access_token", canary).put("refresh_token", canary)
        .put("expires_at", "2021-03-01T14:00:00.000").put("refresh_token_expires_at", "2021-03-15T12:00:00.000"))
        .toString().contains(canary));
  }
}
