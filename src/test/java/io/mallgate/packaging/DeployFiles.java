package io.mallgate.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** Reads the files under {@code docker/} (tests run from the repository root) as YAML trees or text. */
final class DeployFiles {

  static final Path ROOT = Path.of("docker");

  private DeployFiles() {
  }

  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a (possibly multi-document) YAML file. */
  static List<Object> documents(Path file) {
    List<Object> documents = new ArrayList<>();
    new Yaml().loadAll(text(file)).forEach(documents::add);
    return documents;
  }

  /** The single document of a YAML file, as a map. */
  static Map<String, Object> document(String relative) {
    List<Object> documents = documents(ROOT.resolve(relative));
    if (documents.size() != 1) {
      throw new AssertionError(relative + " should hold one document, has " + documents.size());
    }
    return map(documents.get(0));
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node at a dotted path of map keys; list elements by index ({@code containers.0}). */
  static Object at(Object node, String path) {
    Object current = node;
    for (String key : path.split("\\.")) {
      if (current instanceof List<?> list) {
        current = list.get(Integer.parseInt(key));
      } else if (current instanceof Map<?, ?> map) {
        if (!map.containsKey(key)) {
          throw new AssertionError("no key '" + key + "' on the way to " + path);
        }
        current = map.get(key);
      } else {
        throw new AssertionError("nothing at " + path);
      }
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    return (List<Object>) node;
  }
}
