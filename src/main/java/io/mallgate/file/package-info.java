/**
 * Durable local files for the embedded mode: a small file replaced atomically and forced to the device, so a crash
 * leaves the old content or the new one, never a mix. Used by the token store and the webhook fan-out.
 */
package io.mallgate.file;
