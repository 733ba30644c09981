package io.mallgate.reload;

import java.util.List;

/**
 * What one accepted reload did.
 *
 * @param applied     the reloadable sections that changed and now apply ({@code rateLimit}, {@code breaker},
 *                    {@code malls}, {@code alerts}), in that order; empty when none changed
 * @param needRestart key paths (never values) that differ from the running configuration but only take effect on a
 *                    restart, such as {@code server.port}; sorted
 */
public record ReloadOutcome(List<String> applied, List<String> needRestart) {

  public ReloadOutcome {
    applied = List.copyOf(applied);
    needRestart = List.copyOf(needRestart);
  }
}
