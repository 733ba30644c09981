package io.mallgate;

import io.mallgate.config.GatewayConfig;

/** A one-line description of a configuration for {@code --check-config}; secrets show as {@code (secret)}. */
final class ConfigSummary {

  private ConfigSummary() {
  }

  static String describe(GatewayConfig config) {
    return "listen " + config.server().host() + ":" + config.server().port()
        + ", store " + (config.redis().enabled() ? "redis (" + config.redis().type() + ")" : "embedded " + config.store().file())
        + ", cafe24 " + config.cafe24().baseUrl()
        + ", client id " + config.cafe24().clientId()
        + ", client secret " + config.cafe24().clientSecret()
        + ", scopes " + config.cafe24().scopes()
        + ", admin API " + (config.admin().enabled() ? "on" : "off")
        + ", malls " + (config.malls().allow().isEmpty() ? "any" : config.malls().allow());
  }
}
