package io.mallgate.metrics;

import io.mallgate.keepalive.KeepAlive;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mallgate_refresh_token_min_left_seconds}: gauge, the time left on the refresh token that lapses first among
 * the malls not marked {@code reauthorization_required}, as of the leading instance's last keep-alive scan; NaN on
 * the other instances (take {@code min} over instances); and {@code mallgate_malls_reauthorization_required}, the
 * malls only a merchant can bring back, from the same scan (take {@code max}). No mall label. Refers to the keep-alive weakly; the gateway
 * holds it.
 */
final class KeepAliveMeters implements MeterBinder {

  private final KeepAlive keepAlive;

  KeepAliveMeters(KeepAlive keepAlive) {
    this.keepAlive = keepAlive;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("mallgate.refresh.token.min.left", keepAlive, KeepAlive::refreshTokenMinSecondsLeft)
        .description("Time left on the refresh token that lapses first, as of this instance's last keep-alive scan")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("mallgate.malls.reauthorization.required", keepAlive, KeepAlive::mallsNeedingReauthorization)
        .description("Malls marked reauthorization_required, as of this instance's last keep-alive scan")
        .register(registry);
  }
}
