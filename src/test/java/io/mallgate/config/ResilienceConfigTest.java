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
  void should_refuse_a_pace_slower_than_the_drain_when_max_per_second_is_below_per_second() {
    assertEquals(List.of("rateLimit.maxPerSecond: must be at least rateLimit.perSecond (12.5), got 9: the bucket "
        + "could never drain at its own rate"), problems("rateLimit: {perSecond: 12.5}"));
    assertEquals(List.of("rateLimit.maxPerSecond: must be between 1 and 100000, got '0'"),
        problems("rateLimit: {maxPerSecond: 0}"));
    assertEquals(List.of("rateLimit.egressPerSecond: must be between 0 and 1000000, got '-1'"),
        problems("rateLimit: {egressPerSecond: -1}"));
  }

  @Test
  void should_read_the_pacing_keys_when_set() throws Exception {
    GatewayConfig.RateLimit cfg = ConfigLoader.fromYaml("rateLimit: {perSecond: 12.5, maxPerSecond: 13, "
        + "egressPerSecond: 40}", Configs.ENV).rateLimit();
    assertEquals(13, cfg.maxPerSecond());
    assertEquals(40, cfg.egressPerSecond());
  }

  @Test
  void should_refuse_a_breaker_window_when_shorter_than_a_second() {
    assertEquals(List.of("breaker.failureWindow: must be at least 1000ms, got 500ms"),
        problems("breaker: {failureWindow: 500ms}"));
  }
}
