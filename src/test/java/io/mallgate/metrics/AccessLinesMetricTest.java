package io.mallgate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mallgate.config.GatewayConfig;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code mallgate_access_lines_dropped_total} keeps reading its source after a collection: Micrometer holds a function
 * counter's object weakly, and the gateway binds a fresh method reference that nothing else holds.
 */
class AccessLinesMetricTest {

  @Test
  void should_read_the_dropped_lines_after_a_garbage_collection() throws Exception {
    GatewayMetrics metrics = new GatewayMetrics(new GatewayConfig.Metrics(true, false, 100),
        new GatewayConfig.Malls(Set.of()));
    AtomicLong dropped = new AtomicLong();
    metrics.bindAccessLines(dropped::get);
    // A collection that clears weak references: wait for a canary of our own to be cleared.
    WeakReference<Object> canary = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && canary.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    dropped.set(42);
    assertEquals(42.0, new Scrape(metrics.scrape()).value("mallgate_access_lines_dropped_total"));
  }
}
