/**
 * Sealing tokens at rest: {@link io.mallgate.token.crypto.SealedTokenCodec} (AES-256-GCM, a key id in every sealed
 * string, the mall id as associated data), the encryption keys ({@link io.mallgate.token.crypto.TokenKeys}: parsing
 * the configured ones, generating new ones for {@code --generate-key}), and
 * {@link io.mallgate.token.crypto.TokenCodecs}, which picks the codec the configuration asks for.
 */
package io.mallgate.token.crypto;
