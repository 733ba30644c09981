package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepAliveConfigTest {

  @Test
  void should_refresh_a_week_ahead_hourly_when_every_key_is_default() throws Exception {
    assertEquals(new GatewayConfig.KeepAlive(true, Duration.ofDays(7), Duration.ofHours(1), Duration.ofSeconds(30), 4,
        Duration.ofSeconds(30)), ConfigLoader.defaults(Configs.ENV).keepalive());
  }

  @Test
  void should_refuse_a_window_when_it_spans_a_whole_refresh_token_life() {
    assertEquals(List.of("keepalive.refreshWhenLeft: must be less than 14d (a refresh token's whole life), or every "
        + "scan would refresh every mall"), problems("keepalive: {refreshWhenLeft: 14d}"));
  }

  @Test
  void should_refuse_an_interval_when_a_mall_could_lapse_between_scans() {
    assertEquals(List.of("keepalive.interval: must be shorter than keepalive.refreshWhenLeft, or a mall could lapse "
        + "between scans"), problems("keepalive: {refreshWhenLeft: 4d, interval: 5d, jitter: 1s}"));
  }

  @Test
  void should_name_each_key_when_several_are_wrong() {
    assertEquals(List.of("keepalive.interval: must be at least 1000ms, got 10ms",
            "keepalive.maxConcurrent: must be between 1 and 64, got '0'",
            "keepalive.leaderLease: needs a unit: ms, s, m, h or d, got '30'"),
        problems("keepalive: {interval: 10ms, maxConcurrent: 0, leaderLease: 30}"));
  }
}
