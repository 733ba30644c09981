package io.mallgate.token;

import static io.mallgate.token.RefusalVerdict.CLIENT_REJECTED;
import static io.mallgate.token.RefusalVerdict.OTHER;
import static io.mallgate.token.RefusalVerdict.REFRESH_TOKEN_DEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The verdicts over Cafe24's own wordings (CAFE24.md, "Refusals as Cafe24 words them"). */
class RefusalVerdictTest {

  @Test
  void should_take_invalid_grant_for_the_client_when_it_names_the_client_secret() {
    // Cafe24's answer to a wrong or rotated secret: the same error as a dead refresh token.
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_grant", "Invalid client_secret"));
  }

  @Test
  void should_take_invalid_client_for_the_client_whatever_its_words() {
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_client", "Invalid client_secret"));
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_client", null));
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("unauthorized_client", "whatever"));
  }

  @Test
  void should_take_refusals_naming_an_unknown_client_id_for_the_client() {
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_grant", "Invalid client_id"));
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_request", "client_id does not exist"));
    // Names the token too, but a token of another client is the configuration's fault, not the merchant's.
    assertEquals(CLIENT_REJECTED, RefusalVerdict.of("invalid_grant", "refresh_token was issued to another client"));
  }

  @Test
  void should_take_refusals_naming_the_refresh_token_for_a_dead_token() {
    assertEquals(REFRESH_TOKEN_DEAD, RefusalVerdict.of("invalid_grant", "Invalid refresh_token"));
    assertEquals(REFRESH_TOKEN_DEAD, RefusalVerdict.of("invalid_grant", "refresh_token time expired."));
    assertEquals(REFRESH_TOKEN_DEAD, RefusalVerdict.of("invalid_grant", "The refresh token has already been used"));
  }

  @Test
  void should_mark_nothing_when_invalid_grant_names_neither_token_nor_client() {
    assertEquals(OTHER, RefusalVerdict.of("invalid_grant", "Something went wrong"));
    assertEquals(OTHER, RefusalVerdict.of("invalid_grant", null));
    assertEquals(OTHER, RefusalVerdict.of("invalid_grant", "Code time expired"));
  }

  @Test
  void should_mark_nothing_when_the_refresh_token_is_named_under_another_error() {
    assertEquals(OTHER, RefusalVerdict.of("invalid_request", "refresh_token is required"));
    assertEquals(OTHER, RefusalVerdict.of(null, null));
  }
}
