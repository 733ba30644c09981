package io.mallgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/gateway.yaml} is the one reference for configuration keys (the README and docs/configuration.md point
 * to it): every leaf key of {@link Defaults} (the keys the gateway knows) must stand in it with a comment directly
 * above, and that comment must state the default. A key that is a mapping of further keys ({@code webhook.delivery},
 * {@code alerts.sinks}) needs no comment of its own: its leaves carry theirs. An empty mapping ({@code webhook.routes},
 * {@code webhook.subscribers}) is a leaf. The file is also the built-in defaults ({@link Defaults} reads the copy in
 * the jar), so a key the code reads that the file lacks fails every config load, and this test its comment.
 */
class ConfigDocsTest {

  private static final Path CONF = Path.of("conf", "gateway.yaml");
  /** A key line: indentation, then a plain key and a colon. Comment lines never match (they start with '#'). */
  private static final Pattern KEY_LINE = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_-]*):(\\s|$)");

  @Test
  void should_find_a_comment_above_every_known_key_when_reading_the_shipped_conf_file() throws IOException {
    List<String> lines = Files.readAllLines(CONF);
    Map<String, Integer> keyLines = keyLines(lines);
    List<String> problems = new ArrayList<>();
    for (String key : knownLeafKeys()) {
      Integer at = keyLines.get(key);
      if (at == null) {
        problems.add(key + ": not in " + CONF);
      } else if (comment(lines, at).isEmpty()) {
        problems.add(key + " (line " + (at + 1) + "): no comment line directly above it");
      }
    }
    assertEquals(List.of(), problems, "every key the gateway knows is documented once, in " + CONF);
  }

  @Test
  void should_state_a_default_in_every_key_comment_when_reading_the_shipped_conf_file() throws IOException {
    List<String> lines = Files.readAllLines(CONF);
    Map<String, Integer> keyLines = keyLines(lines);
    List<String> problems = new ArrayList<>();
    for (String key : knownLeafKeys()) {
      Integer at = keyLines.get(key);
      if (at != null && !comment(lines, at).toLowerCase(Locale.ROOT).contains("default")) {
        problems.add(key + " (line " + (at + 1) + "): its comment states no default");
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Every leaf key path of the built-in defaults, e.g. {@code webhook.delivery.maxAttempts}, in file order. */
  private static List<String> knownLeafKeys() {
    List<String> keys = new ArrayList<>();
    for (String section : Defaults.sections()) {
      leaves(section, Defaults.section(section), keys);
    }
    return keys;
  }

  private static void leaves(String prefix, Map<?, ?> mapping, List<String> into) {
    mapping.forEach((name, value) -> {
      String path = prefix + "." + name;
      if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
        leaves(path, nested, into);
      } else {
        into.add(path);
      }
    });
  }

  /** Line index of every key of the file by its dotted path, from the indentation (two spaces a level). */
  private static Map<String, Integer> keyLines(List<String> lines) {
    Map<String, Integer> keys = new HashMap<>();
    List<String> path = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY_LINE.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      int depth = key.group(1).length() / 2;
      path.subList(Math.min(depth, path.size()), path.size()).clear();
      path.add(key.group(2));
      Integer earlier = keys.put(String.join(".", path), i);
      assertEquals(null, earlier, "key " + String.join(".", path) + " twice in " + CONF);
    }
    return keys;
  }

  /** The comment lines directly above line {@code at}, joined; empty when the line above is not a comment. */
  private static String comment(List<String> lines, int at) {
    StringBuilder text = new StringBuilder();
    for (int i = at - 1; i >= 0 && lines.get(i).trim().startsWith("#"); i--) {
      text.insert(0, lines.get(i).trim() + "\n");
    }
    return text.toString();
  }
}
