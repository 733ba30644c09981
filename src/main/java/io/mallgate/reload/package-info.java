/**
 * Hot reload of the parts of the configuration that can change under a running gateway — {@code rateLimit},
 * {@code breaker}, {@code malls.allow}, {@code alerts} — on SIGHUP or when the configuration file changes. A reload
 * loads and validates the whole file again; an invalid one is rejected with its problems and changes nothing; any
 * other changed key is named in a "needs a restart" warning and left as it started. Each gateway has its own
 * {@link io.mallgate.reload.LiveConfig}: nothing here is static.
 */
package io.mallgate.reload;
