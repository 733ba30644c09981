package io.mallgate.testsupport;

import java.time.Duration;

/**
 * What a {@link FaultProxy} does to the bytes between a client and its target. Each kind is one way a network or a
 * server misbehaves; {@link #none()} passes everything through untouched.
 */
public sealed interface Fault {

  /** Every byte passes, at once. */
  static Fault none() {
    return new PassThrough();
  }

  /** Each chunk, either way, is held for {@code delay} before it goes on; chunks keep their order. */
  static Fault latency(Duration delay) {
    return new Latency(delay);
  }

  /** A connection is cut (RST) as soon as it is accepted; open connections are cut when this is set. */
  static Fault refuse() {
    return new Refuse();
  }

  /** {@code bytes} bytes go to the target, then the connection is cut (RST) both ways. */
  static Fault resetAfter(long bytes) {
    return new ResetAfterBytes(bytes);
  }

  /** Everything reaches the target, but when the target starts answering the connection is cut (RST) both ways. */
  static Fault resetOnResponse() {
    return new ResetOnResponse();
  }

  /**
   * Bytes are read and held, never forwarded nor answered, as when packets vanish on the way. TCP loses no byte
   * silently, so when the hole closes ({@link FaultProxy#clear()}) what was held flows on in order, as after a
   * partition heals; the client's own timeouts are what end a request meanwhile.
   */
  static Fault blackHole() {
    return new BlackHole();
  }

  /** See {@link #none()}. */
  record PassThrough() implements Fault {
  }

  /** See {@link #latency(Duration)}. */
  record Latency(Duration delay) implements Fault {
  }

  /** See {@link #refuse()}. */
  record Refuse() implements Fault {
  }

  /** See {@link #resetAfter(long)}. */
  record ResetAfterBytes(long bytes) implements Fault {
  }

  /** See {@link #resetOnResponse()}. */
  record ResetOnResponse() implements Fault {
  }

  /** See {@link #blackHole()}. */
  record BlackHole() implements Fault {
  }
}
