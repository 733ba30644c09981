package io.mallgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads {@code conf/gateway.yaml} into a validated {@link GatewayConfig}.
 *
 * <p>Every key is optional: a missing key takes its built-in default, which is written exactly as the shipped
 * {@code conf/gateway.yaml} writes it and resolved the same way. Every string (list items too) may reference the
 * environment or a file: {@code ${VAR}}, {@code ${VAR:-default}} (default when unset or empty), {@code ${file:/path}}
 * (its text less one trailing newline). Numbers and booleans may be written as strings, so they can come from
 * variables. Durations take a unit ({@code 500ms, 30s, 5m, 2h, 7d}); sizes are bytes or take one
 * ({@code KiB, MiB, GiB, KB, MB, GB}).
 *
 * <p>Validation reports every problem at once in one {@link ConfigException}, each problem starting with its key
 * path ({@code server.port: expected an integer, got 'abc'}). No message ever contains the value of a secret
 * ({@code redis.url}, {@code redis.endpoints}, {@code cafe24.clientId}, {@code cafe24.clientSecret},
 * {@code admin.token}).
 *
 * <p>Loading blocks (files are read): call it before Vert.x starts, or on a worker thread. Stateless and
 * thread-safe.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * Loads a YAML file.
   *
   * @param env the environment for {@code ${VAR}} references, usually {@link System#getenv()}
   * @throws ConfigException when the file is missing or unreadable, is not YAML, or anything in it is invalid
   */
  public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
    Objects.requireNonNull(file, "file");
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read the configuration file (" + Problems.reason(e) + ")"));
    }
    return bind(yaml, file.toString(), env);
  }

  /**
   * Loads YAML text (an empty text means every key at its default).
   *
   * @throws ConfigException when the text is not YAML or anything in it is invalid
   */
  public static GatewayConfig fromYaml(String yaml, Map<String, String> env) throws ConfigException {
    return bind(Objects.requireNonNull(yaml, "yaml"), "yaml", env);
  }

  /**
   * Every key at its default, as when no file is given.
   *
   * @throws ConfigException when a default cannot be resolved, e.g. {@code CAFE24_CLIENT_ID} is not set
   */
  public static GatewayConfig defaults(Map<String, String> env) throws ConfigException {
    return bind("", "defaults", env);
  }

  private static GatewayConfig bind(String yaml, String origin, Map<String, String> env) throws ConfigException {
    Objects.requireNonNull(env, "env");
    // A text that is not YAML stops here: validating defaults instead would bury the real problem under others.
    Object tree = YamlTree.parse(yaml, origin);
    Problems problems = new Problems();
    GatewayConfig config = new ConfigBinder(tree, new Placeholders(env, problems), problems).bind();
    problems.throwIfAny();
    return config;
  }
}
