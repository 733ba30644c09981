package io.mallgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves references inside one configuration string: {@code ${VAR}}, {@code ${VAR:-default}} (the default, which
 * may be empty, applies when the variable is unset or empty, as in the shell) and {@code ${file:/path}} (the file's
 * UTF-8 text less one trailing newline, as secret files mounted by Docker or Kubernetes usually end with one).
 *
 * <p>Several references may share a string; the text around them is kept. Resolution is a single pass: what a
 * variable or file yields is never scanned again, so a secret that happens to contain {@code ${} stays intact. A
 * default is literal text and cannot contain {@code }}. Problems name the key, the variable or the path, never a
 * value. Reading files blocks: load configuration before Vert.x starts.
 */
final class Placeholders {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FILE_PREFIX = "file:";
  private static final String DEFAULT_SEPARATOR = ":-";

  private final Map<String, String> env;
  private final Problems problems;

  Placeholders(Map<String, String> env, Problems problems) {
    this.env = env;
    this.problems = problems;
  }

  /**
   * Returns {@code raw} with every reference replaced, or {@code null} when any could not be resolved (each such
   * reference is reported at {@code keyPath}).
   */
  String resolve(String keyPath, String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    boolean resolved = true;
    int from = 0;
    for (int start = raw.indexOf("${"); start >= 0; start = raw.indexOf("${", from)) {
      int end = raw.indexOf('}', start + 2);
      if (end < 0) {
        problems.add(keyPath, "a reference '${' has no closing '}'");
        return null;
      }
      out.append(raw, from, start);
      String value = reference(keyPath, raw.substring(start + 2, end));
      if (value == null) {
        resolved = false;
      } else {
        out.append(value);
      }
      from = end + 1;
    }
    return resolved ? out.append(raw, from, raw.length()).toString() : null;
  }

  private String reference(String keyPath, String reference) {
    if (reference.startsWith(FILE_PREFIX)) {
      return file(keyPath, reference.substring(FILE_PREFIX.length()));
    }
    int separator = reference.indexOf(DEFAULT_SEPARATOR);
    String name = separator < 0 ? reference : reference.substring(0, separator);
    if (!NAME.matcher(name).matches()) {
      // The reference text itself is not quoted: in a secret key it may be part of the secret.
      problems.add(keyPath, "invalid reference: write ${NAME}, ${NAME:-default} or ${file:/path}, where NAME has "
          + "only letters, digits and '_'");
      return null;
    }
    String value = env.get(name);
    if (separator >= 0) {
      return value == null || value.isEmpty() ? reference.substring(separator + DEFAULT_SEPARATOR.length()) : value;
    }
    if (value == null) {
      problems.add(keyPath, "environment variable " + name + " is not set and has no default");
    }
    return value;
  }

  private String file(String keyPath, String path) {
    if (path.isBlank()) {
      problems.add(keyPath, "${file:} needs a path");
      return null;
    }
    try {
      Path file = Path.of(path);
      if (Files.isDirectory(file)) {
        problems.add(keyPath, "cannot read file " + path + " (it is a directory)");
        return null;
      }
      return withoutTrailingNewline(Files.readString(file));
    } catch (IOException e) {
      problems.add(keyPath, "cannot read file " + path + " (" + Problems.reason(e) + ")");
    } catch (InvalidPathException e) {
      problems.add(keyPath, "cannot read file " + path + " (not a valid path)");
    }
    return null;
  }

  private static String withoutTrailingNewline(String content) {
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
  }
}
