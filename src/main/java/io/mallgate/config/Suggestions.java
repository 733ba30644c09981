package io.mallgate.config;

import java.util.Collection;
import java.util.Locale;

/** Builds the "unknown key" message, with the known key a typo most likely meant. */
final class Suggestions {

  private static final int MAX_DISTANCE = 2;

  private Suggestions() {
  }

  /** {@code unknown key, did you mean 'port'?}, or the list of known keys when none is close. */
  static String unknownKey(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = key.toLowerCase(Locale.ROOT);
    for (String candidate : known) {
      // Comparing lower case makes a case-only difference distance 0 and ranks it first.
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // A short key is within 2 edits of almost anything: only suggest when some of the typed key survives.
    if (best != null && bestDistance <= MAX_DISTANCE && bestDistance < key.length()) {
      return "unknown key, did you mean '" + best + "'?";
    }
    return "unknown key (known keys: " + String.join(", ", known) + ")";
  }

  /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
