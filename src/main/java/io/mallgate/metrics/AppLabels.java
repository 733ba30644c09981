package io.mallgate.metrics;

import io.mallgate.edge.AppNames;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code app} label's values, bounded: the first {@code metrics.maxApps} distinct app names this process sees keep
 * their own value for as long as it runs, every later one is {@link AppNames#OTHER}, and a call that named no app is
 * {@link AppNames#NONE}. The names come checked by the proxy ({@code X-Mallgate-App}), never raw. Thread-safe; a name
 * already labelled costs one concurrent lookup.
 */
final class AppLabels {

  private final int max;
  private final Set<String> named = ConcurrentHashMap.newKeySet();

  /** @param max app names with a value of their own ({@code metrics.maxApps}, at least 1) */
  AppLabels(int max) {
    this.max = max;
  }

  /** The label value of {@code app} (a checked name, {@code -}, or {@code null} for a request that is no call). */
  String of(String app) {
    if (app == null || AppNames.NONE.equals(app)) {
      return AppNames.NONE;
    }
    if (named.contains(app)) {
      return app;
    }
    return named.size() < max && admit(app) ? app : AppNames.OTHER;
  }

  // At most max times: a lock keeps the bound exact when two loops meet two new names at once.
  private synchronized boolean admit(String app) {
    if (named.contains(app)) {
      return true;
    }
    if (named.size() >= max) {
      return false;
    }
    named.add(app);
    return true;
  }
}
