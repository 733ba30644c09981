package io.mallgate.edge;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;

/** logback's encoders as the shipped {@code logback.xml} configures them: its {@code plain} and {@code json}. */
final class ShippedEncoders {

  /** The pattern of the shipped logback.xml's {@code plain} appender. */
  static final String PLAIN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";

  private ShippedEncoders() {
  }

  /** {@code plain} or {@code json}, started. */
  static Encoder<ILoggingEvent> of(String format, LoggerContext context) {
    if (format.equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder plain = new PatternLayoutEncoder();
    plain.setContext(context);
    plain.setPattern(PLAIN_PATTERN);
    plain.start();
    return plain;
  }
}
