package io.mallgate.edge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.mallgate.bench.Requests;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * One access line through logback ({@code accessLog.output: logger}; {@code AccessLog.LoggerSink}, package-private,
 * hence this package), and through the gateway's own writer ({@code accessLog.output: stdout}, {@link #ownWriter}).
 *
 * <p>It writes the line through logback with the shipped encoder ({@code plain}: the pattern of
 * {@code src/main/resources/logback.xml}; {@code json}: its {@code JsonEncoder} settings) but synchronously, into an
 * output stream that drops the bytes: the figure is the whole CPU one line costs. In the gateway the line goes through
 * an {@code AsyncAppender}: the event, its formatted message and the queue offer are paid on the event loop, the layout
 * and the write on logback's worker thread, on the same cores. Writing to stdout (a system call) is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLineBenchmark {

  @Param({"plain", "json"})
  public String format;

  private String path;
  private String requestId;
  private OutputStreamAppender<ILoggingEvent> appender;
  private AccessLineWriter writer;
  private final AccessLog.LoggerSink logger = new AccessLog.LoggerSink();

  @Setup
  public void setUp() {
    path = "/malls/myshop01/api/v2/admin/products";
    requestId = Requests.REQUEST_ID;
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(ShippedEncoders.of(format, context));
    appender.setOutputStream(OutputStream.nullOutputStream());
    appender.start();
    ch.qos.logback.classic.Logger access = context.getLogger("mallgate.access");
    access.detachAndStopAllAppenders();
    access.setAdditive(false);
    access.setLevel(Level.INFO);
    access.addAppender(appender);
    writer = new AccessLineWriter("json".equals(format), OutputStream.nullOutputStream(), Duration.ofMillis(10));
  }

  @TearDown
  public void tearDown() {
    appender.stop();
    writer.close();
  }

  /** A proxied GET answered 200 in 1.4 ms, 1.1 ms of it upstream. */
  @Benchmark
  public void accessLine() {
    logger.accept(new AccessLine(System.currentTimeMillis(), "vert.x-eventloop-thread-0", "myshop01", "orders-sync",
        "GET", path, 200, 1_412_345, 1_104_321L, requestId, null));
  }

  /**
   * The same line through the gateway's own writer, as the event loop pays it: formatted into the thread's buffer.
   * The writer's thread takes the buffers every 10 ms and writes them to an output stream that drops the bytes; its
   * CPU is not in the score ({@code -prof gc} counts its bytes allocated).
   */
  @Benchmark
  public void ownWriter() {
    writer.accept(new AccessLine(System.currentTimeMillis(), "vert.x-eventloop-thread-0", "myshop01", "orders-sync",
        "GET", path, 200, 1_412_345, 1_104_321L, requestId, null));
  }
}
