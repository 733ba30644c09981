package io.mallgate.testsupport;

import static io.mallgate.testsupport.Await.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch sees a blocked event loop in the tests' log: it is a check that can fail. */
@EventLoopWatch.BlocksOnPurpose
class EventLoopWatchTest {

  @Test
  void should_find_the_warning_when_an_event_loop_is_blocked() throws Exception {
    long mark = EventLoopWatch.mark();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      result(vertx.getOrCreateContext().<Void>executeBlocking(() -> null)); // warm up
      vertx.runOnContext(v -> sleep(400));
      await("the blocked loop left its warning in the log")
          .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> !EventLoopWatch.warningsSince(mark).isEmpty());
    } finally {
      result(vertx.close());
    }
  }

  @Test
  void should_find_nothing_when_no_loop_was_blocked() throws Exception {
    long mark = EventLoopWatch.mark();
    assertEquals(0, EventLoopWatch.warningsSince(mark).size());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
