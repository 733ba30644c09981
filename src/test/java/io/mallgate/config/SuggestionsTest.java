package io.mallgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {

  private static final List<String> KNOWN = List.of("url", "type", "endpoints", "masterName", "poolSize");

  @ParameterizedTest
  @CsvSource({"typ, type", "MASTERNAME, masterName", "poolsize, poolSize", "endpionts, endpoints", "ur, url"})
  void should_suggest_the_known_key_when_it_is_close(String typed, String suggested) {
    assertEquals("unknown key, did you mean '" + suggested + "'?", Suggestions.unknownKey(typed, KNOWN));
  }

  @ParameterizedTest
  @CsvSource({"xy", "password", "u"})
  void should_list_the_known_keys_when_none_is_close(String typed) {
    assertEquals("unknown key (known keys: url, type, endpoints, masterName, poolSize)",
        Suggestions.unknownKey(typed, KNOWN));
  }

  @ParameterizedTest
  @CsvSource({"kitten, sitting, 3", "'', abc, 3", "abc, abc, 0", "flaw, lawn, 2"})
  void should_count_edits_when_computing_the_distance(String a, String b, int distance) {
    assertEquals(distance, Suggestions.distance(a, b));
  }
}
