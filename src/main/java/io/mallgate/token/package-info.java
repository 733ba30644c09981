/**
 * Cafe24 tokens: the token response and its Korea-time timestamps, the {@code TokenStore} contract with its Redis and
 * embedded implementations, how tokens are written at rest ({@code TokenCodec}; sealing lives in
 * {@code io.mallgate.token.crypto}), the in-process cache in front of the store, and the client for Cafe24's token
 * endpoint.
 */
package io.mallgate.token;
