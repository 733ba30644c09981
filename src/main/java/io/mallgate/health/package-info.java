/**
 * Health probes for orchestrators and load balancers: {@code GET /health/live} (the process and its event loop
 * answer) and {@code GET /health/ready} (configuration loaded, token store reachable, not shutting down), built on
 * Vert.x Health Checks. Kept apart from {@code admin}: probes cannot send the admin token, so these routes are open,
 * and everything they show must be safe for anyone on the network to read.
 */
package io.mallgate.health;
