package io.mallgate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogCanaryWatchTest {

  private static final String TOKEN = "0iqRbQ7vZxS3Kf9LmN2pA5tY8wE1cD4g";

  @Test
  void should_find_an_issued_token_when_a_line_holds_it_alone_or_inside_a_longer_run() {
    List<String> leaks = LogCanaryWatch.leaks(List.of(
        "INFO refreshed mall shop1",
        "DEBUG sent Authorization: Bearer " + TOKEN,
        "DEBUG raw=xx" + TOKEN + "yy"), Set.of(TOKEN));

    assertEquals(2, leaks.size());
    assertEquals("DEBUG sent Authorization: Bearer <canary:32 chars>", leaks.get(0), "the report masks it");
  }

  @Test
  void should_find_a_fixed_secret_when_a_line_quotes_it() {
    assertEquals(1, LogCanaryWatch.leaks(List.of("WARN secret=" + TestConfig.CLIENT_SECRET), Set.of()).size());
  }

  @Test
  void should_find_the_front_api_key_when_a_line_quotes_it_in_clear_or_inside_its_basic_value() {
    assertEquals(2, LogCanaryWatch.leaks(List.of("DEBUG key=" + TestConfig.FRONT_API_KEY,
        "DEBUG sent Authorization: " + TestConfig.FRONT_BASIC), Set.of()).size());
  }

  @Test
  void should_pass_a_line_when_it_holds_only_a_preview() {
    assertEquals(List.of(), LogCanaryWatch.leaks(List.of("token 0iqR…(32)"), Set.of(TOKEN)));
  }
}
