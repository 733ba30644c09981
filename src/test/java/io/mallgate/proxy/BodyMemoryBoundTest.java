package io.mallgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import io.mallgate.testsupport.TestConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The body bytes an instance may hold: {@code maxConcurrent × replayBufferSize}, never more than a quarter of the heap. */
class BodyMemoryBoundTest {

  private static final long MIB = 1024 * 1024;
  // The shipped defaults: 1024 calls × 1 MiB.
  private final GatewayConfig.Proxy defaults = TestConfig.forSimulator("http://127.0.0.1:1/{mall}", "",
      Path.of("target", "body-memory")).build().proxy();

  @Test
  void should_hold_at_most_a_quarter_of_the_heap_when_the_launchers_128_mib_heap_is_smaller_than_the_bound() {
    assertEquals(32 * MIB, ProxyHandler.bodyMemoryBound(defaults, 128 * MIB));
  }

  @Test
  void should_keep_max_concurrent_times_the_replay_buffer_when_the_heap_is_large_enough() {
    assertEquals(1024 * MIB, ProxyHandler.bodyMemoryBound(defaults, 16 * 1024 * MIB));
  }
}
