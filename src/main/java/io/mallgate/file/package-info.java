/**
 * Durable local files for the embedded mode: a file replaced atomically and forced to the device, so a crash leaves
 * the old content or the new one, never a mix ({@link io.mallgate.file.AtomicFile}). Used by the token store, the
 * webhook log and the webhook fan-out.
 */
package io.mallgate.file;
