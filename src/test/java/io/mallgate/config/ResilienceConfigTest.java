package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResilienceConfigTest {

  @Test
  void should_refuse_401_and_429_when_listed_as_breaker_failures() {
    List<String> problems = problems("breaker: {failureStatuses: [500, 401, 429]}");
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("breaker.failureStatuses[1]:"), problems.get(0));
  }

  @Test
  void should_refuse_post_when_listed_as_retryable() {
    List<String> problems = problems("retry: {methods: [GET, POST]}");
    assertEquals(List.of("retry.methods[1]: must be an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE), got 'POST'"),
        problems);
  }

  @Test
  void should_read_a_fractional_rate_when_per_second_has_decimals() throws Exception {
    assertEquals(0.5, ConfigLoader.fromYaml("rateLimit: {perSecond: 0.5}", Configs.ENV).rateLimit().perSecond());
    assertTrue(problems("rateLimit: {perSecond: fast}").get(0).startsWith("rateLimit.perSecond: expected a number"));
  }

  @Test
  void should_refuse_a_breaker_window_when_shorter_than_a_second() {
    assertEquals(List.of("breaker.failureWindow: must be at least 1000ms, got 500ms"),
        problems("breaker: {failureWindow: 500ms}"));
  }
}
