package io.mallgate.config;

import java.util.List;

/** The configuration is unusable. Carries every problem found, each starting with its key path. */
public final class ConfigException extends Exception {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
