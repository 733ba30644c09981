/**
 * Configuration: {@link io.mallgate.config.ConfigLoader} reads {@code conf/gateway.yaml} (every key optional, with
 * built-in defaults identical to the shipped file), resolves {@code ${VAR}}, {@code ${VAR:-default}} and
 * {@code ${file:/path}} references in every string, and validates the result into the immutable records of
 * {@link io.mallgate.config.GatewayConfig}, reporting every problem at once in one
 * {@link io.mallgate.config.ConfigException}, each prefixed with its key path and never quoting a
 * {@link io.mallgate.config.Secret}; the rest of the gateway reads only these validated records and builds its
 * Vert.x options from them.
 */
package io.mallgate.config;
