package io.mallgate.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class UpstreamSignalTest {

  private static UpstreamSignal read(int status, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return UpstreamSignal.read(status, map, 40);
  }

  @Test
  void should_read_the_count_when_cafe24_reports_x_api_call_limit() {
    assertEquals(new UpstreamSignal(0, 12), read(200, "X-Api-Call-Limit", "12/40"));
    assertEquals(new UpstreamSignal(0, 32), read(200, "X-Api-Call-Limit", "8/10"), "scaled to our capacity");
  }

  @Test
  void should_pause_for_the_longest_reported_wait_when_remain_headers_are_set() {
    assertEquals(3_000, read(200, "X-Cafe24-Call-Remain", "3", "X-Cafe24-Time-Remain", "1.5").pauseMillis());
    assertEquals(2_500, read(429, "X-Cafe24-Time-Remain", "2.5").pauseMillis());
  }

  @Test
  void should_pause_one_second_when_cafe24_answers_a_bare_429_or_reports_full_usage() {
    assertEquals(1_000, read(429).pauseMillis());
    assertEquals(1_000, read(200, "X-Cafe24-Call-Usage", "100").pauseMillis());
    assertEquals(0, read(200, "X-Cafe24-Call-Usage", "99", "X-Cafe24-Call-Remain", "0").pauseMillis());
  }

  @Test
  void should_ignore_headers_when_they_are_unreadable() {
    assertTrue(read(200, "X-Api-Call-Limit", "lots", "X-Cafe24-Call-Remain", "soon").isEmpty());
    assertTrue(read(200, "X-Api-Call-Limit", "5/0", "X-Cafe24-Time-Remain", "-3").isEmpty());
    assertTrue(read(200, "X-Cafe24-Time-Remain", "NaN", "X-Api-Call-Limit", "/40").isEmpty());
    assertEquals(UpstreamSignal.MAX_PAUSE_MILLIS, read(200, "X-Cafe24-Call-Remain", "1e12").pauseMillis());
  }
}
