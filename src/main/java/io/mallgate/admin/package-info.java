/**
 * The operators' API, on only when {@code admin.token} is set: token import, every mall's status without secrets
 * (listed a page at a time), force refresh, setting and clearing the re-authorization mark, rate and circuit state,
 * recent errors per mall, revoke-and-forget; its OpenAPI description; and the static admin page that uses it.
 */
package io.mallgate.admin;
