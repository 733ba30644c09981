package io.mallgate.token;

/**
 * How a mall's token response is written at rest: {@link #encode} turns it into the string a store keeps,
 * {@link #decode} turns it back. Sealing implementations bind the string to the mall (a record copied to another mall
 * does not open). Thread-safe; pure CPU (no I/O), so it may run on an event loop.
 */
public interface TokenCodec {

  String encode(String mall, TokenResponse tokens);

  /**
   * @throws IllegalArgumentException when the stored string cannot be read (wrong mall, unknown key id, tampered or
   *                                  corrupt); the message never holds the content
   */
  TokenResponse decode(String mall, String stored);

  /** Whether a stored string is already in this codec's primary form (re-sealing skips it). */
  boolean isCurrent(String stored);
}
