package io.mallgate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The label values: closed sets, whatever status or header a response carries. */
class RequestMetersTest {

  @Test
  void should_name_the_class_when_status_is_a_valid_http_status() {
    assertEquals("1xx", RequestMeters.statusClass(101));
    assertEquals("2xx", RequestMeters.statusClass(204));
    assertEquals("4xx", RequestMeters.statusClass(499));
    assertEquals("5xx", RequestMeters.statusClass(599));
  }

  @Test
  void should_answer_other_when_status_is_outside_100_to_599() {
    assertEquals("other", RequestMeters.statusClass(0));
    assertEquals("other", RequestMeters.statusClass(600));
    assertEquals("other", RequestMeters.statusClass(99));
  }

  @Test
  void should_keep_known_codes_and_fold_the_rest_when_reading_the_error_header() {
    assertEquals("none", RequestMeters.gatewayCode(null));
    assertEquals("circuit_open", RequestMeters.gatewayCode("circuit_open"));
    assertEquals("other", RequestMeters.gatewayCode("made_up_by_someone"));
    assertEquals("other", RequestMeters.gatewayCode("CIRCUIT_OPEN"));
  }
}
