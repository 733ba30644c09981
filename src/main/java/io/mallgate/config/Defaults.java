package io.mallgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every key with its built-in default: the shipped {@code conf/gateway.yaml} itself, which the build copies into the
 * jar, read once and resolved like any config file (the same {@code ${...}} references), so a key left out of an
 * operator's file behaves as in the shipped one, and the two cannot drift. This is also the list of known keys: a key
 * not here is reported as unknown.
 */
final class Defaults {

  /** {@code conf/gateway.yaml}, copied into the jar beside this class by the build. */
  private static final String RESOURCE = "gateway.yaml";

  private static final Map<String, Map<String, Object>> SECTIONS = parse();

  private Defaults() {
  }

  /** Section names, in file order. */
  static Set<String> sections() {
    return SECTIONS.keySet();
  }

  /** A section's keys with their unresolved defaults (strings, or lists of strings), in file order. */
  static Map<String, Object> section(String name) {
    return SECTIONS.get(name);
  }

  private static Map<String, Map<String, Object>> parse() {
    Object tree;
    try {
      tree = YamlTree.parse(read(), "built-in defaults");
    } catch (ConfigException e) {
      throw new IllegalStateException("built-in defaults are not valid YAML: " + e.getMessage(), e);
    }
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    ((Map<?, ?>) tree).forEach((name, keys) -> {
      Map<String, Object> section = new LinkedHashMap<>();
      ((Map<?, ?>) keys).forEach((key, value) -> section.put((String) key,
          value instanceof List<?> list ? List.copyOf(list) : value));
      sections.put((String) name, Collections.unmodifiableMap(section));
    });
    return Collections.unmodifiableMap(sections);
  }

  private static String read() {
    try (InputStream in = Defaults.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("built-in defaults missing: " + RESOURCE + " is not in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in defaults unreadable", e);
    }
  }
}
