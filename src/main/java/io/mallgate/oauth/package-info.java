/**
 * Getting tokens in: the install redirect with a single-use {@code state}, the callback that exchanges the code, and
 * the verification of Cafe24's app-launch HMAC. Uses {@code token}; {@code token} never uses this package.
 */
package io.mallgate.oauth;
