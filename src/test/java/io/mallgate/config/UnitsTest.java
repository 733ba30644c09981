package io.mallgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "7d, 604800000", "24d, 2073600000"})
  void should_parse_the_duration_when_it_has_a_unit(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Units.duration(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "0s", "-5s", "1.5s", "30S", "30 s", "s", "", "25d", "576h1", "999999999999999999d"})
  void should_reject_the_duration_when_it_is_malformed_or_out_of_range(String text) {
    assertThrows(IllegalArgumentException.class, () -> Units.duration(text));
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "1KiB, 1024", "10MiB, 10485760", "2GiB, 2147483648", "1KB, 1000", "10MB, 10000000",
      "3GB, 3000000000"})
  void should_parse_the_size_when_it_is_bytes_or_has_a_unit(String text, long bytes) {
    assertEquals(bytes, Units.size(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0MiB", "-1", "10M", "10mib", "1.5MiB", "MiB", "", "9999999999GiB"})
  void should_reject_the_size_when_it_is_malformed_or_not_positive(String text) {
    assertThrows(IllegalArgumentException.class, () -> Units.size(text));
  }

  @Test
  void should_ask_for_a_unit_when_a_duration_is_a_bare_number() {
    var e = assertThrows(IllegalArgumentException.class, () -> Units.duration("30"));
    assertEquals("needs a unit: ms, s, m, h or d, got '30'", e.getMessage());
  }

  @Test
  void should_truncate_a_long_value_when_quoting_it() {
    assertEquals("'" + "x".repeat(40) + "…'", Problems.quote("x".repeat(100)));
    assertEquals("'a?b'", Problems.quote("a\nb"));
  }
}
