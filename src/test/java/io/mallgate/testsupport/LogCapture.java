package io.mallgate.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the whole JVM (all levels the config lets through) so a test can prove that a canary
 * token or secret never reached a log line — messages, arguments and stack traces included.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new ArrayList<>();
  private final List<String[]> threads = new ArrayList<>();
  private final List<String> levels = new ArrayList<>();

  public static LogCapture capture() {
    LogCapture capture = new LogCapture();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    return capture;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    lines.add(line.toString());
    levels.add(event.getLevel().toString() + (event.getThrowableProxy() == null ? "" : "+stack"));
    threads.add(new String[] {event.getLoggerName(), event.getThreadName(), event.getFormattedMessage()});
  }

  /** The threads that wrote lines on {@code loggerName} whose message contains {@code containing}. */
  public synchronized java.util.Set<String> threadsOf(String loggerName, String containing) {
    java.util.Set<String> found = new java.util.TreeSet<>();
    for (String[] entry : threads) {
      if (entry[0].equals(loggerName) && entry[2] != null && entry[2].contains(containing)) {
        found.add(entry[1]);
      }
    }
    return found;
  }

  /** Lines written at ERROR (or any level with a stack trace, when {@code orStack}). */
  public synchronized List<String> errorLines(boolean orStack) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String level = levels.get(i);
      if (level.startsWith("ERROR") || orStack && level.endsWith("+stack")) {
        found.add(level + " " + lines.get(i));
      }
    }
    return found;
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Lines that contain any of the canaries. */
  public synchronized List<String> linesContaining(String... canaries) {
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      for (String canary : canaries) {
        if (canary != null && !canary.isEmpty() && line.contains(canary)) {
          found.add(line);
        }
      }
    }
    return found;
  }

  @Override
  public void close() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(this);
    stop();
  }
}
