package io.mallgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared fixtures: the minimal environment a default configuration needs, and problem capture. */
final class Configs {

  /** A valid AES-256 key spec (32 bytes of 0x2a). */
  static final String KEY = "k1:KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";
  static final Map<String, String> ENV = Map.of("CAFE24_CLIENT_ID", "client-id", "CAFE24_CLIENT_SECRET", "client-sec",
      "MALLGATE_TOKEN_KEY", KEY);

  private Configs() {
  }

  static Map<String, String> env(String... extraPairs) {
    Map<String, String> env = new HashMap<>(ENV);
    for (int i = 0; i < extraPairs.length; i += 2) {
      env.put(extraPairs[i], extraPairs[i + 1]);
    }
    return env;
  }

  static List<String> problems(String yaml) {
    return problems(yaml, ENV);
  }

  static List<String> problems(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml, env)).problems();
  }
}
