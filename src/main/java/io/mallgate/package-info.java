/**
 * Mallgate: a reverse proxy that owns the Cafe24 OAuth tokens of every mall its internal apps call. {@code Main} reads
 * the command line and the configuration, {@code GatewayVerticle} ties a {@code Gateway} to a deployment, and
 * {@code Gateway} is the one place where the object graph is built.
 */
package io.mallgate;
