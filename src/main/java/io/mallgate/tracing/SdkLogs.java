package io.mallgate.tracing;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK logs through {@code java.util.logging} (a failed export, a full queue): without this, those
 * lines would go to stderr in JUL's own two-line format with whole stack traces, past the gateway's log format (JSON
 * lines included). This handler takes over the {@code io.opentelemetry} JUL logger and writes each record as one line
 * on the {@code mallgate.tracing} logger: the SDK's message and the exception's class, never its stack or message.
 */
final class SdkLogs extends Handler {

  private static final Logger LOG = LoggerFactory.getLogger("mallgate.tracing");
  /** Held here: JUL keeps loggers only weakly, and a collected logger would lose its handler. */
  private static final java.util.logging.Logger SDK = java.util.logging.Logger.getLogger("io.opentelemetry");
  private static final Formatter MESSAGE = new SimpleFormatter();

  private SdkLogs() {
  }

  /** Installs the handler once per JVM (several gateways in one JVM share it). */
  static synchronized void install() {
    for (Handler handler : SDK.getHandlers()) {
      if (handler instanceof SdkLogs) {
        return;
      }
    }
    SDK.addHandler(new SdkLogs());
    SDK.setUseParentHandlers(false);
  }

  @Override
  public void publish(LogRecord record) {
    int level = record.getLevel().intValue();
    String line = MESSAGE.formatMessage(record)
        + (record.getThrown() == null ? "" : " (" + record.getThrown().getClass().getSimpleName() + ")");
    if (level >= Level.SEVERE.intValue()) {
      LOG.error("OpenTelemetry: {}", line);
    } else if (level >= Level.WARNING.intValue()) {
      LOG.warn("OpenTelemetry: {}", line);
    } else if (level >= Level.INFO.intValue()) {
      LOG.info("OpenTelemetry: {}", line);
    } else {
      LOG.debug("OpenTelemetry: {}", line);
    }
  }

  @Override
  public void flush() {
    // nothing buffered
  }

  @Override
  public void close() {
    // nothing held
  }
}
