/**
 * A simulated Cafe24, {@link io.mallgate.sandbox.Cafe24Simulator}, that {@code --sandbox} runs so newcomers can try
 * the gateway without a Cafe24 account and that the test suite uses as its upstream: OAuth authorize (auto-approved),
 * token and revoke endpoints with Cafe24's single-use, rotating refresh tokens and naive Korea-time timestamps, and a
 * small Admin API behind Cafe24's bearer checks, error envelope and per-mall leaky bucket, a small Front API behind
 * its client-id (and front API key) check, all timed by an injectable
 * {@link java.time.Clock} and exposing controls and counters so tests can revoke or expire tokens and prove that the
 * gateway never redeems a refresh token twice, and {@link io.mallgate.sandbox.TokenEndpointFaults} to make the token
 * endpoint slow, failing or lose its answers.
 */
package io.mallgate.sandbox;
