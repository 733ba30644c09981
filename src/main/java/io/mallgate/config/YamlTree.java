package io.mallgate.config;

import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns YAML text into plain maps, lists and strings. Only standard types are ever built (no class from the file is
 * instantiated), duplicate keys are an error, and every plain scalar except null stays a string: types are decided
 * per key by {@link ConfigReader}, the same way for a literal and for a value that came from an environment variable,
 * and YAML 1.1 surprises ({@code no} as false, {@code 2024-06-01} as a date, {@code 0755} as octal) cannot happen.
 */
final class YamlTree {

  private YamlTree() {
  }

  /**
   * Parses one document; an empty document is {@code null}.
   *
   * @param origin names the text in a problem (a file name)
   * @throws ConfigException when the text is not YAML; the message names line and column but never quotes the
   *     offending line, which may hold a secret
   */
  static Object parse(String yaml, String origin) throws ConfigException {
    try {
      return newYaml().load(yaml);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(List.of(origin + ": invalid YAML" + at(e.getProblemMark()) + ": " + e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(List.of(origin + ": invalid YAML"));
    }
  }

  private static String at(Mark mark) {
    return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    DumperOptions dumper = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new StringsResolver());
  }

  /** Resolves only null; every other untagged scalar is a string. */
  private static final class StringsResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
