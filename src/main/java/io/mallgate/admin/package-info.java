/**
 * The operators' API, on only when {@code admin.token} is set: token import, mall status without secrets, and
 * revoke-and-forget.
 */
package io.mallgate.admin;
