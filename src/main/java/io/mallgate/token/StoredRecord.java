package io.mallgate.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A mall's record as the embedded store keeps it, in memory and in its file: the tokens still in the codec's form
 * ({@code data}), opened only when read, so a record whose key is missing is kept intact rather than lost.
 * {@link #toString()} never shows {@code data}.
 */
record StoredRecord(long version, Instant updatedAt, String data, TokenRecord.Reauthorization reauthorization,
    TokenRecord.RefreshAttempt lastRefresh) {

  StoredRecord {
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(data, "data");
  }

  /** The record with its tokens opened by {@code codec}; fails as {@link StoredForm#open} does. */
  TokenRecord open(String mall, TokenCodec codec) {
    return withTokens(mall, StoredForm.open(codec, mall, data));
  }

  /** The record, given tokens already known to be what {@code data} holds (no need to open it again). */
  TokenRecord withTokens(String mall, TokenResponse tokens) {
    return new TokenRecord(mall, tokens, version, updatedAt, reauthorization, lastRefresh);
  }

  StoredRecord withLastRefresh(TokenRecord.RefreshAttempt attempt) {
    return new StoredRecord(version, updatedAt, data, reauthorization, attempt);
  }

  StoredRecord withData(String resealed) {
    return new StoredRecord(version, updatedAt, resealed, reauthorization, lastRefresh);
  }

  @Override
  public String toString() {
    return "StoredRecord[version=" + version + ", updatedAt=" + updatedAt + ", reauthorization=" + reauthorization
        + ", lastRefresh=" + lastRefresh + "]";
  }
}
