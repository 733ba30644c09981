package io.mallgate.reload;

import io.mallgate.config.ConfigException;
import io.mallgate.config.ConfigLoader;
import io.mallgate.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A configuration file read with {@link ConfigLoader}, as {@code Main} read it at start.
 *
 * @param file   the YAML file
 * @param env    the very environment used at start (the sandbox adds generated values to it: a new map would make
 *               them differ)
 * @param adjust what was done to the loaded configuration at start (the sandbox points it at its simulator)
 */
public record FileConfigSource(Path file, Map<String, String> env, UnaryOperator<GatewayConfig> adjust)
    implements ConfigSource {

  public FileConfigSource {
    Objects.requireNonNull(file, "file");
    env = Map.copyOf(env);
    Objects.requireNonNull(adjust, "adjust");
  }

  /** A file loaded as it is. */
  public static FileConfigSource of(Path file, Map<String, String> env) {
    return new FileConfigSource(file, env, UnaryOperator.identity());
  }

  @Override
  public GatewayConfig load() throws ConfigException {
    return adjust.apply(ConfigLoader.load(file, env));
  }
}
