package io.mallgate.token;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where token records live: Redis ({@link RedisTokenStore}), shared by every instance, or the embedded
 * embedded SQLite store (io.mallgate.store) for a single instance. Every method returns a Future that completes on the caller's context;
 * a store that cannot answer fails it with {@code GatewayFailure(TOKEN_STORE_UNAVAILABLE)}, never with a message that
 * carries a token. One contract test suite runs against every implementation.
 */
public interface TokenStore {

  /** The mall's record, or {@code null} when none is stored. */
  Future<TokenRecord> get(String mall);

  /**
   * Stores a token response for a mall whatever was there before (install, import): the version becomes the
   * previous one plus one (1 for a new mall), and a re-authorization mark is cleared.
   *
   * @return the record as stored
   */
  Future<TokenRecord> put(String mall, TokenResponse tokens);

  /**
   * Stores a token response only if the mall's current version is {@code expectedVersion} (the refresh protocol's
   * write). Atomic with respect to every other writer, on every instance. Clears a re-authorization mark; keeps
   * {@code lastRefresh}.
   *
   * @return the stored record, or {@code null} when the version had moved (or the mall was deleted): nothing written
   */
  Future<TokenRecord> compareAndSet(String mall, long expectedVersion, TokenResponse tokens);

  /**
   * Marks the mall as needing re-authorization, only if its version is still {@code expectedVersion} (someone who
   * refreshed meanwhile proves the refresh token was not dead). Bumps the version, so every instance reloads.
   *
   * @return the marked record, or {@code null} when the version had moved or the mall is gone
   */
  Future<TokenRecord> markReauthorizationRequired(String mall, long expectedVersion,
      TokenRecord.Reauthorization reauthorization);

  /**
   * Clears a re-authorization mark without new tokens (an operator who knows better). Bumps the version.
   *
   * @return the record, or {@code null} when the mall is gone
   */
  Future<TokenRecord> clearReauthorization(String mall);

  /**
   * Clears a re-authorization mark only if the mall's version is still {@code expectedVersion}: the mark read is the
   * mark cleared (Cafe24's app expiry extended event clears only {@code app_expired}, never a mark written since).
   * Bumps the version, so every instance reloads.
   *
   * @return the record, or {@code null} when the version had moved or the mall is gone: nothing written then
   */
  Future<TokenRecord> clearReauthorization(String mall, long expectedVersion);

  /** Notes how a refresh attempt ended, for operators. Does not change the version. No-op for an unknown mall. */
  Future<Void> recordRefresh(String mall, TokenRecord.RefreshAttempt attempt);

  /**
   * Rewrites the mall's stored tokens under the codec's primary key when they are sealed under another (key
   * rotation). Changes neither the version nor the content. Atomic against concurrent writers: when the record
   * changed meanwhile it is left alone (it was written under the primary key anyway).
   *
   * @return whether the record was rewritten
   */
  Future<Boolean> reseal(String mall);

  /** Forgets a mall. Completes with whether there was a record. */
  Future<Boolean> delete(String mall);

  /** Every mall id with a record, sorted. */
  Future<List<String>> malls();

  /** Releases what the store holds (files, connections); later calls fail. */
  Future<Void> close();
}
