/**
 * Cafe24 tokens: the token response and its Korea-time timestamps, the {@code TokenStore} contract with its Redis and
 * embedded implementations, the in-process cache in front of it, and the client for Cafe24's token endpoint.
 */
package io.mallgate.token;
