package io.mallgate.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects configuration problems so that an operator sees all of them in one run instead of fixing one per restart.
 * Every problem starts with the key path it is about. Not thread-safe: one instance per load.
 */
final class Problems {

  private static final int QUOTE_LIMIT = 40;

  private final List<String> problems = new ArrayList<>();

  void add(String keyPath, String message) {
    problems.add(printable(keyPath) + ": " + message);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<String> list() {
    return List.copyOf(problems);
  }

  /** Throws when anything was reported: a config with a problem must never be returned, even partly. */
  void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * Quotes a non-secret value for a message: cut to 40 characters so a pasted blob does not flood the log, and
   * control characters masked so a value cannot forge extra log lines. Never call it with a secret.
   */
  static String quote(String value) {
    String shown = value.length() > QUOTE_LIMIT ? value.substring(0, QUOTE_LIMIT) + "…" : value;
    return "'" + printable(shown) + "'";
  }

  /** Why a file could not be read, without ever including what it contains. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not valid UTF-8";
    }
    return e.getClass().getSimpleName();
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
