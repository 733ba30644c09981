package io.mallgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AccessLogTest {

  @Test
  void should_escape_control_and_non_ascii_characters_when_writing_a_path() {
    assertEquals("/malls/demo/api/\\x1b[31mRED\\x1b[0m\\x0a\\x7f\\xe9", AccessLog.printable(
        "/malls/demo/api/\u001b[31mRED\u001b[0m\n\u007f\u00e9"));
    assertEquals("/plain/path", AccessLog.printable("/plain/path"));
    assertEquals("a\\x5cb", AccessLog.printable("a\\b"));
    assertEquals("/\\xd55c\\xae00", AccessLog.printable("/\ud55c\uae00"), "a wide character: every hex digit");
  }

  @Test
  void should_skip_only_health_probes_when_deciding_what_to_log() {
    assertEquals(true, AccessLog.isProbe("/health/ready"));
    assertEquals(false, AccessLog.isProbe("/healthcheck"));
    assertEquals(false, AccessLog.isProbe("/malls/demo/api/v2/health/x"));
  }
}
