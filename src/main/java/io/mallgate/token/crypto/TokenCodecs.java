package io.mallgate.token.crypto;

import io.mallgate.config.GatewayConfig;
import io.mallgate.token.PlainTokenCodec;
import io.mallgate.token.TokenCodec;

/** Picks how tokens are written at rest from the configuration. */
public final class TokenCodecs {

  private TokenCodecs() {
  }

  /**
   * {@link SealedTokenCodec} over {@code tokens.encryptionKeys} unless {@code tokens.encryption} is {@code none},
   * then {@link PlainTokenCodec}.
   *
   * @throws IllegalArgumentException when sealing is asked for and the keys are missing or malformed (config
   *                                  validation already refuses that; the message never shows a key)
   */
  public static TokenCodec from(GatewayConfig.Tokens tokens) {
    return tokens.encrypted() ? new SealedTokenCodec(tokens.encryptionKeys()) : new PlainTokenCodec();
  }
}
