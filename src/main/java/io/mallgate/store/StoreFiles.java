package io.mallgate.store;

import java.nio.file.Path;

/**
 * Where the embedded store's files are, from {@code store.file}. The database is {@code store.file} itself, unless it
 * names a {@code .json} file: that is the token file of a release before the database (its old default was
 * {@code data/tokens.json}), and the database goes beside it as {@code mallgate.db}. Either way the files of that
 * release are looked for in the database's folder ({@code tokens.json}, {@code webhooks.jsonl}, …) and imported once.
 *
 * @param database    the SQLite file
 * @param legacyTokens the token file of the release before, imported when present
 */
record StoreFiles(Path database, Path legacyTokens) {

  static StoreFiles of(Path storeFile) {
    Path absolute = storeFile.toAbsolutePath();
    if (absolute.getFileName().toString().endsWith(".json")) {
      return new StoreFiles(absolute.resolveSibling("mallgate.db"), absolute);
    }
    return new StoreFiles(absolute, absolute.resolveSibling("tokens.json"));
  }

  /** A file of the release before, beside the database. */
  Path legacy(String name) {
    return database.resolveSibling(name);
  }
}
