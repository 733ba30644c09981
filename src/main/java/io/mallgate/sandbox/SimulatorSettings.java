package io.mallgate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated Cafe24 behaves. Immutable; tests derive variants with the {@code withX} copy methods.
 *
 * @param clientId the app's client id, checked on authorize and in the token endpoint's Basic auth
 * @param clientSecret the app's client secret, checked in the token and revoke endpoints' Basic auth
 * @param accessTokenLifetime how long an access token lives (Cafe24: 2 hours)
 * @param refreshTokenLifetime how long a refresh token lives, restarted by every refresh (Cafe24: 14 days)
 * @param bucketCapacity calls a mall's leaky bucket holds before answering 429 (Cafe24: 40)
 * @param leakPerSecond calls the bucket drains per second, fractions included (Cafe24: 2)
 * @param rateLimitEnabled {@code false} admits every authenticated call; the call-limit header still appears
 * @param clock the only source of time: expiry, code lifetime, bucket leak and every timestamp written
 */
public record SimulatorSettings(
    String clientId,
    String clientSecret,
    Duration accessTokenLifetime,
    Duration refreshTokenLifetime,
    int bucketCapacity,
    double leakPerSecond,
    boolean rateLimitEnabled,
    Clock clock) {

  public SimulatorSettings {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(clock, "clock");
    requirePositive(accessTokenLifetime, "accessTokenLifetime");
    requirePositive(refreshTokenLifetime, "refreshTokenLifetime");
    if (bucketCapacity < 1) {
      throw new IllegalArgumentException("bucketCapacity must be at least 1");
    }
    if (!(leakPerSecond > 0) || Double.isInfinite(leakPerSecond)) {
      throw new IllegalArgumentException("leakPerSecond must be a positive finite number");
    }
  }

  /** Cafe24's documented behaviour: 2 h access tokens, 14 d refresh tokens, a 40-call bucket draining 2 per second. */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings("sandbox-client", "sandbox-secret", Duration.ofHours(2), Duration.ofDays(14),
        40, 2.0, true, Clock.systemUTC());
  }

  public SimulatorSettings withClock(Clock newClock) {
    return new SimulatorSettings(clientId, clientSecret, accessTokenLifetime, refreshTokenLifetime,
        bucketCapacity, leakPerSecond, rateLimitEnabled, newClock);
  }

  public SimulatorSettings withClient(String newClientId, String newClientSecret) {
    return new SimulatorSettings(newClientId, newClientSecret, accessTokenLifetime, refreshTokenLifetime,
        bucketCapacity, leakPerSecond, rateLimitEnabled, clock);
  }

  public SimulatorSettings withAccessTokenLifetime(Duration lifetime) {
    return new SimulatorSettings(clientId, clientSecret, lifetime, refreshTokenLifetime,
        bucketCapacity, leakPerSecond, rateLimitEnabled, clock);
  }

  public SimulatorSettings withRefreshTokenLifetime(Duration lifetime) {
    return new SimulatorSettings(clientId, clientSecret, accessTokenLifetime, lifetime,
        bucketCapacity, leakPerSecond, rateLimitEnabled, clock);
  }

  public SimulatorSettings withRateLimitEnabled(boolean enabled) {
    return new SimulatorSettings(clientId, clientSecret, accessTokenLifetime, refreshTokenLifetime,
        bucketCapacity, leakPerSecond, enabled, clock);
  }

  /** A bucket of {@code capacity} calls draining {@code leakPerSecond} calls per second. */
  public SimulatorSettings withBucket(int capacity, double leak) {
    return new SimulatorSettings(clientId, clientSecret, accessTokenLifetime, refreshTokenLifetime,
        capacity, leak, rateLimitEnabled, clock);
  }

  @Override
  public String toString() {
    // The secret is a test value here, but the habit of never printing secrets is worth keeping everywhere.
    return "SimulatorSettings[clientId=" + clientId + ", accessTokenLifetime=" + accessTokenLifetime
        + ", refreshTokenLifetime=" + refreshTokenLifetime + ", bucket=" + bucketCapacity + "@" + leakPerSecond
        + "/s, rateLimitEnabled=" + rateLimitEnabled + "]";
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
