package io.mallgate.reload;

import io.mallgate.config.ConfigException;
import io.mallgate.config.GatewayConfig;
import java.nio.file.Path;

/**
 * Where a running gateway's configuration comes from, to read it again: the file, and how it becomes a
 * {@link GatewayConfig} (the same {@link io.mallgate.config.ConfigLoader}, environment and adjustments as at start,
 * e.g. the sandbox pointing it at its simulator).
 */
public interface ConfigSource {

  /** The file to watch for changes. */
  Path file();

  /**
   * Reads and validates the file again, placeholders ({@code ${VAR}}, {@code ${file:...}}) resolved anew. Blocks:
   * call it on a worker thread.
   *
   * @throws ConfigException listing every problem, when the file cannot be read or is invalid
   */
  GatewayConfig load() throws ConfigException;
}
