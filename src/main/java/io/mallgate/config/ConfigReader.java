package io.mallgate.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of one section: each read takes the operator's value for a key, or the built-in default when the key
 * is absent, resolves its references and converts it, reporting any problem at the key's path. A read that reported
 * a problem returns a stand-in ({@code null}, {@code 0}, {@code false} or an empty list); the loader never hands out
 * a configuration once a problem was reported, so stand-ins never escape.
 *
 * <p>Messages quote a bad value only for non-secret keys: secret reads ({@link #secret}, {@link #secrets}) and
 * their checks never put the value into a message.
 */
final class ConfigReader {

  /** A check of a resolved value: returns a problem message, or {@code null} when the value is fine. */
  @FunctionalInterface
  interface Check {
    String problemWith(String value);
  }

  static final Check ANY = value -> null;
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  private final String section;
  private final Map<?, ?> values;
  private final Map<String, Object> defaults;
  private final Placeholders placeholders;
  private final Problems problems;

  ConfigReader(String section, Map<?, ?> values, Placeholders placeholders, Problems problems) {
    this.section = section;
    this.values = values;
    this.defaults = Defaults.section(section);
    this.placeholders = placeholders;
    this.problems = problems;
  }

  /** Reports every key of the section that has no default, suggesting the key it most likely meant. */
  void reportUnknownKeys() {
    for (Object key : values.keySet()) {
      String name = String.valueOf(key);
      if (!defaults.containsKey(name)) {
        problems.add(path(name), Suggestions.unknownKey(name, defaults.keySet()));
      }
    }
  }

  /** Reports a problem at a key of this section ({@code key} may carry an index: {@code scopes[2]}). */
  void problem(String key, String message) {
    problems.add(path(key), message);
  }

  String string(String key, Check check) {
    String value = scalar(key, false);
    return value != null && passes(key, value, check) ? value : null;
  }

  /** A secret: problems never quote it, and {@code check} must not either. */
  Secret secret(String key, Check check) {
    String value = scalar(key, true);
    return value != null && passes(key, value, check) ? Secret.of(value) : null;
  }

  boolean bool(String key) {
    String value = scalar(key, false);
    if (value == null) {
      return false;
    }
    String text = value.strip();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    problem(key, "expected true or false, got " + Problems.quote(value));
    return false;
  }

  int integer(String key, int min, int max) {
    String value = scalar(key, false);
    if (value == null) {
      return 0;
    }
    String text = value.strip();
    if (!INTEGER.matcher(text).matches()) {
      problem(key, "expected an integer, got " + Problems.quote(value));
      return 0;
    }
    BigInteger number = new BigInteger(text);
    if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
      problem(key, "must be between " + min + " and " + max + ", got " + Problems.quote(text));
      return 0;
    }
    return number.intValueExact();
  }

  /** A decimal number within [min, max] (e.g. a rate per second). */
  double decimal(String key, double min, double max) {
    String value = scalar(key, false);
    if (value == null) {
      return 0;
    }
    try {
      double number = Double.parseDouble(value.strip());
      if (Double.isNaN(number) || number < min || number > max) {
        problem(key, "must be between " + min + " and " + max + ", got " + Problems.quote(value));
        return 0;
      }
      return number;
    } catch (NumberFormatException e) {
      problem(key, "expected a number, got " + Problems.quote(value));
      return 0;
    }
  }

  Duration duration(String key) {
    return parsed(key, Units::duration);
  }

  /** A duration of at least {@code min} (a library counts in whole units of it, say). */
  Duration duration(String key, Duration min) {
    Duration value = duration(key);
    if (value != null && value.compareTo(min) < 0) {
      problem(key, "must be at least " + min.toMillis() + "ms, got " + value.toMillis() + "ms");
      return null;
    }
    return value;
  }

  long size(String key) {
    Long bytes = parsed(key, Units::size);
    return bytes == null ? 0 : bytes;
  }

  /**
   * A list of strings, each item resolved and checked at {@code key[i]}; {@code required}: an empty list is a
   * problem too.
   */
  List<String> strings(String key, boolean required, Check itemCheck) {
    return list(key, required, false, itemCheck);
  }

  /** A list of secrets: as {@link #strings}, never quoting an item. */
  List<Secret> secrets(String key, boolean required, Check itemCheck) {
    return list(key, required, true, itemCheck).stream().map(Secret::of).toList();
  }

  /** Converts with {@code parser}, whose {@link IllegalArgumentException} message becomes the problem. */
  <T> T parsed(String key, Function<String, T> parser) {
    String value = scalar(key, false);
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return null;
    }
  }

  private List<String> list(String key, boolean required, boolean secret, Check itemCheck) {
    Object raw = raw(key);
    if (raw != null && !(raw instanceof List<?>)) {
      problem(key, "expected a list, got " + describe(raw, secret));
      return List.of();
    }
    List<?> items = raw == null ? List.of() : (List<?>) raw;
    if (required && items.isEmpty()) {
      problem(key, "must not be an empty list");
    }
    List<String> resolved = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String item = scalarOf(key + "[" + i + "]", items.get(i), secret);
      if (item != null && passes(key + "[" + i + "]", item, itemCheck)) {
        resolved.add(item);
      }
    }
    return List.copyOf(resolved);
  }

  private String scalar(String key, boolean secret) {
    return scalarOf(key, raw(key), secret);
  }

  private String scalarOf(String key, Object raw, boolean secret) {
    if (raw == null) {
      return "";
    }
    // Explicit YAML tags (!!int 5) can still produce numbers or booleans: read them as their text.
    if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
      return placeholders.resolve(path(key), String.valueOf(raw));
    }
    problem(key, "expected a single value, got " + describe(raw, secret));
    return null;
  }

  private boolean passes(String key, String value, Check check) {
    String message = check.problemWith(value);
    if (message != null) {
      problem(key, message);
    }
    return message == null;
  }

  private Object raw(String key) {
    return values.containsKey(key) ? values.get(key) : defaults.get(key);
  }

  private String path(String key) {
    return section + "." + key;
  }

  /** What a misplaced value is, for a message; a scalar is quoted only when the key is not secret. */
  static String describe(Object raw, boolean secret) {
    if (raw instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (raw instanceof List<?>) {
      return "a list";
    }
    if (raw instanceof String s) {
      return secret ? "a single value" : Problems.quote(s);
    }
    return "a " + raw.getClass().getSimpleName();
  }
}
