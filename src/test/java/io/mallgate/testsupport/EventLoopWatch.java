package io.mallgate.testsupport;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class during which Vert.x warned that an event loop (or a worker) was blocked: the gateway must never
 * block one, and a warning is the only trace a blocked loop leaves. Registered for every test class by service
 * loading ({@code junit-platform.properties}); it reads the part of the tests' log file ({@code logback-test.xml})
 * that the class wrote. Test classes run one after another in one JVM, so that part is the class's own.
 */
public final class EventLoopWatch implements BeforeAllCallback, AfterAllCallback {

  private static final String WARNING = "has been blocked for";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EventLoopWatch.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    context.getStore(NAMESPACE).put("from", mark());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (context.getRequiredTestClass().isAnnotationPresent(BlocksOnPurpose.class)) {
      return;
    }
    List<String> warnings = warningsSince(context.getStore(NAMESPACE).getOrDefault("from", Long.class, 0L));
    if (!warnings.isEmpty()) {
      throw new AssertionError("a thread was blocked while " + context.getDisplayName() + " ran:\n"
          + String.join("\n", warnings));
    }
  }

  /** The log's size now: where {@link #warningsSince} starts reading. */
  public static long mark() throws IOException {
    return TestLog.mark();
  }

  /** Vert.x's blocked-thread warnings logged since {@code from}. */
  public static List<String> warningsSince(long from) throws IOException {
    return TestLog.linesSince(from).stream().filter(line -> line.contains(WARNING)).toList();
  }

  /** Marks the one test class that blocks a thread to prove this watch sees it. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  public @interface BlocksOnPurpose {
  }
}
